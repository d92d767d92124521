/* 4.1.2 Name, role, value: give Django's widgets the names their labels mean.
   - The autocomplete (Select2) box takes its name from the selected value only, so an
     empty one has no name; name it by the field's label as well.
   - The date and time boxes of a date-time field have no label of their own. */
(function () {
  "use strict";
  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = document.querySelector('label[for="' + select.id + '"]');
      var container = select.nextElementSibling;
      if (!label || !container) { return; }
      label.id = label.id || select.id + "-label";
      var shown = container.querySelector('[role="textbox"]');
      var box = container.querySelector('[role="combobox"]');
      if (shown) { shown.setAttribute("aria-labelledby", label.id); }
      if (box) { box.setAttribute("aria-labelledby", label.id + (shown && shown.id ? " " + shown.id : "")); }
    });
  }
  function nameDateTimes() {
    document.querySelectorAll("p.datetime input").forEach(function (input) {
      if (input.labels.length || input.hasAttribute("aria-label")) { return; }
      var row = input.closest(".form-row, fieldset, td");
      var legend = row ? row.querySelector("legend, label") : null;
      var field = legend ? legend.textContent.replace(/:\s*$/, "").trim() : "";
      var part = input.classList.contains("vTimeField") ? "time" : "date";
      input.setAttribute("aria-label", field ? field + ", " + part : part);
    });
  }
  var pending = false;
  function fix() {
    pending = false;
    nameAutocompletes();
    nameDateTimes();
  }
  // Select2 builds its boxes after the page has loaded, and again for each inline form an
  // officer adds: name them whenever new ones appear.
  new MutationObserver(function () {
    if (!pending) { pending = true; window.requestAnimationFrame(fix); }
  }).observe(document.body, {childList: true, subtree: true});
  fix();
})();
