/* The meeting's agenda items: the Schedule 12A paragraphs and the public interest reasons are
   shown only for a Part II item, the legal basis only for a confidential one. Without this
   script every box shows, and the server's checks are the same either way. A box with an
   error or with something in it is never hidden, so nothing typed is out of sight. */
(function () {
  "use strict";
  var NEEDED_FOR = {
    paragraphs: "exempt",
    public_interest_reasons: "exempt",
    confidential_basis: "confidential"
  };
  function filled(row) {
    if (row.classList.contains("errors") || row.querySelector(".errorlist")) { return true; }
    return Array.prototype.some.call(row.querySelectorAll("input, textarea"), function (box) {
      return box.type === "checkbox" ? box.checked : box.value.trim() !== "";
    });
  }
  function update(select) {
    var item = select.closest(".inline-related");
    if (!item) { return; }
    Object.keys(NEEDED_FOR).forEach(function (name) {
      var row = item.querySelector(".form-row.field-" + name);
      if (row) { row.hidden = select.value !== NEEDED_FOR[name] && !filled(row); }
    });
  }
  function all() {
    document.querySelectorAll('.inline-related select[name$="-access"]').forEach(update);
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches('.inline-related select[name$="-access"]')) {
      update(event.target);
    }
  });
  // A row added with "Add another Agenda item".
  document.addEventListener("formset:added", all);
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", all); } else { all(); }
})();
