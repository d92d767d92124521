/* Scoring widgets of the entry form: the score is likelihood x impact, worked out as both
   are chosen, and shown with its band's name and colour. With only a score (an imported
   register), the score is shown as "likelihood and impact not recorded". The server checks
   all of this again; the script only saves typing. */
(function () {
  "use strict";

  function bandFor(bands, score) {
    for (var i = 0; i < bands.length; i++) {
      if (score >= bands[i].min_score && score <= bands[i].max_score) {
        return bands[i];
      }
    }
    return null;
  }

  function update(position) {
    var likelihood = document.getElementById("id_" + position + "_likelihood");
    var impact = document.getElementById("id_" + position + "_impact");
    var score = document.getElementById("id_" + position + "_score");
    var output = document.getElementById("score-result-" + position);
    var data = document.getElementById(position + "-bands");
    var register = document.getElementById("id_register");
    if (!likelihood || !impact || !score || !output || !data) {
      return;
    }
    var bands = JSON.parse(data.textContent)[register ? register.value : ""] || [];
    var rated = likelihood.value && impact.value;
    var value = null;
    if (rated) {
      value = parseInt(likelihood.value, 10) * parseInt(impact.value, 10);
      score.value = value;
      score.readOnly = true;
    } else {
      score.readOnly = false;
      value = score.value ? parseInt(score.value, 10) : null;
    }
    output.removeAttribute("style");
    output.style.marginLeft = "0.5em";
    if (!value) {
      output.textContent = "Choose likelihood and impact, or give the score alone if only that is known.";
      return;
    }
    var band = bandFor(bands, value);
    output.textContent = "Score " + value + (band ? ": " + band.name : ": in no band") +
      (rated ? "" : " (likelihood and impact not recorded)");
    if (band) {
      output.style.backgroundColor = band.colour;
      output.style.color = band.text_colour;
      output.style.padding = "0 0.4em";
      output.style.fontWeight = "700";
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    ["inherent", "residual"].forEach(function (position) {
      ["likelihood", "impact", "score"].forEach(function (field) {
        var element = document.getElementById("id_" + position + "_" + field);
        if (element) {
          element.addEventListener("change", function () { update(position); });
          element.addEventListener("input", function () { update(position); });
        }
      });
      var register = document.getElementById("id_register");
      if (register) {
        register.addEventListener("change", function () { update(position); });
      }
      update(position);
    });
  });
})();
