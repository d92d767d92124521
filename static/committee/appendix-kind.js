// The appendix form shows only what the chosen kind needs: the PDF for an uploaded document,
// the text for a text appendix, the data to show for structured data. Without this script
// every field shows, and each says which kind it is for; nothing is lost either way (hidden
// fields keep what was typed, and the server checks what the chosen kind needs).
(function () {
  "use strict";

  var FIELDS = {
    document: ["document", "document_name"],
    rich_text: ["body"],
    structured: ["structured_row"],
  };

  function isKind(element) {
    // An appendix's kind (an agenda item's kind has no "structured").
    return (
      element instanceof HTMLSelectElement &&
      /(^|-)kind$/.test(element.name) &&
      element.querySelector("option[value='structured']") !== null
    );
  }

  function scopeOf(select) {
    return select.closest(".inline-related") || select.form;
  }

  function show(select) {
    var scope = scopeOf(select);
    if (!scope) return;
    Object.keys(FIELDS).forEach(function (kind) {
      FIELDS[kind].forEach(function (name) {
        scope.querySelectorAll(".field-" + name).forEach(function (field) {
          var row = field.closest(".form-row") || field;
          row.hidden = kind !== select.value;
          row.style.display = kind === select.value ? "" : "none";
        });
      });
    });
  }

  function showAll(root) {
    root.querySelectorAll("select").forEach(function (select) {
      if (isKind(select)) show(select);
    });
  }

  document.addEventListener("change", function (event) {
    if (isKind(event.target)) show(event.target);
  });
  // A new appendix added to the report's list ("Add another Appendix").
  document.addEventListener("formset:added", function (event) {
    showAll(event.target);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { showAll(document); });
  } else {
    showAll(document);
  }
})();
