// A form that came back with answers to change (the error_summary tag): the focus goes to
// its summary, so that a screen reader reads it and a keyboard starts from it (an alert
// already in the page as it loads is not always read out), and each of its links puts the
// focus in the field it names, not only scrolls to it.
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    event.preventDefault();
    field.scrollIntoView({block: "center"});
    field.focus();
  });
})();
