/* The agenda pack panel of the officer's meeting page: the builds' progress, polled until they finish. */
(function () {
  "use strict";
  var box = document.getElementById("pack-status");
  var url = box.dataset.statusUrl;
  function cell(row, text, tag) {
    var c = document.createElement(tag || "td");
    c.textContent = text;
    row.appendChild(c);
    return c;
  }
  function size(bytes) {
    if (bytes == null) { return ""; }
    return bytes > 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.round(bytes / 1024) + " KB";
  }
  function render(data) {
    var table = document.createElement("table");
    var caption = document.createElement("caption");
    caption.textContent = data.building ? "Building now" : "Builds and versions";
    table.appendChild(caption);
    var head = table.createTHead().insertRow();
    ["Pack", "Status", "Details"].forEach(function (h) { cell(head, h, "th").scope = "col"; });
    var body = table.createTBody();
    data.builds.concat(data.versions).forEach(function (p) {
      var row = body.insertRow();
      cell(row, p.name, "th").scope = "row";
      // A build in hand: its progress, or what it waits for (the server says which).
      var status = p.status === "queued" || p.status === "rendering" ? p.status_text
        : p.status_display + (p.number ? " (version " + p.number + ")" : "");
      cell(row, status);
      var details = cell(row, "");
      if (p.status === "failed") {
        var strong = document.createElement("strong");
        strong.textContent = p.error;
        details.appendChild(strong);
      } else if (p.url) {
        var a = document.createElement("a");
        a.href = p.url;
        a.textContent = "Download (" + p.pages + " pages, " + size(p.size) + ")";
        details.appendChild(a);
      } else {
        details.textContent = p.note || "";
      }
    });
    if (!data.builds.length && !data.versions.length) {
      cell(body.insertRow(), "No pack has been built yet.").colSpan = 3;
    }
    box.replaceChildren(table);
  }
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) { render(data); if (data.building) { setTimeout(poll, 2000); } })
      .catch(function () { setTimeout(poll, 10000); });
  }
  var initial = JSON.parse(document.getElementById("pack-status-data").textContent);
  document.getElementById("pack-refresh").hidden = true;
  render(initial);
  if (initial.building) { setTimeout(poll, 1000); }
})();
