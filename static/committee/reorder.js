/* The "Reorder the agenda" page: Move up / Move down and dragging move a row at once, and the
   positions (and numbers, while "Number the items" is ticked) follow; "Save this order" keeps it.
   Without this script the same buttons post each move and the server renumbers. Part II rows
   never go above a Part I row (committee.services.agenda_reorder keeps the same rule). */
(function () {
  "use strict";
  var form = document.getElementById("reorder-form");
  if (!form) { return; }
  document.documentElement.classList.add("js");
  var body = document.querySelector("#agenda-order tbody");
  var status = document.getElementById("reorder-status");
  var renumber = document.getElementById("id_renumber");
  var originalNumbers = {};
  var dragged = null;

  function rows() { return Array.prototype.slice.call(body.rows); }
  function title(row) { return row.querySelector(".title").textContent; }
  function isPartII(row) { return row.dataset.part === "II"; }
  rows().forEach(function (row) { originalNumbers[row.dataset.item] = row.querySelector(".number").textContent; });

  function refresh() {
    var all = rows();
    all.forEach(function (row, index) {
      row.querySelector(".position-number").textContent = String(index + 1);
      row.querySelector(".number").textContent = renumber.checked ? String(index + 1) : originalNumbers[row.dataset.item];
      var above = all[index - 1], below = all[index + 1];
      row.querySelector(".move-up").disabled = !above || isPartII(above) !== isPartII(row);
      row.querySelector(".move-down").disabled = !below || isPartII(below) !== isPartII(row);
    });
  }
  function partsInOrder() {
    var seenPartII = false;
    return rows().every(function (row) {
      if (isPartII(row)) { seenPartII = true; return true; }
      return !seenPartII;
    });
  }
  function say(text) { status.textContent = text; }
  function position(row) { return rows().indexOf(row) + 1; }
  function moved(row) {
    refresh();
    say(title(row) + " is now item " + position(row) + " of " + rows().length + ". Save this order to keep it.");
  }

  body.addEventListener("click", function (event) {
    var button = event.target.closest(".move-button");
    if (!button) { return; }
    event.preventDefault();
    if (button.disabled) { return; }
    var row = button.closest("tr");
    var up = button.classList.contains("move-up");
    if (up) { body.insertBefore(row, row.previousElementSibling); }
    else { body.insertBefore(row.nextElementSibling, row); }
    moved(row);
    // Keep the keyboard where it was; at an end, on the button that still moves the item.
    var other = row.querySelector(up ? ".move-down" : ".move-up");
    (button.disabled ? other : button).focus();
  });

  rows().forEach(function (row) {
    row.draggable = true;
    row.addEventListener("dragstart", function (event) {
      dragged = row;
      row.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.dataset.item);
    });
    row.addEventListener("dragend", function () {
      row.classList.remove("dragging");
      dragged = null;
    });
  });
  body.addEventListener("dragover", function (event) {
    if (dragged) { event.preventDefault(); event.dataTransfer.dropEffect = "move"; }
  });
  body.addEventListener("drop", function (event) {
    var target = event.target.closest("tr");
    if (!dragged || !target || target === dragged) { return; }
    event.preventDefault();
    var before = rows();
    var box = target.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    body.insertBefore(dragged, after ? target.nextElementSibling : target);
    if (!partsInOrder()) {
      // Undo: a Part I item may not follow a Part II item.
      before.forEach(function (row) { body.appendChild(row); });
      refresh();
      say("Part II items stay after the Part I items: " + title(dragged) + " was not moved.");
      return;
    }
    moved(dragged);
  });
  renumber.addEventListener("change", refresh);
  refresh();
})();
