// Sort (click a heading) and filter (type in the box) the tables; click a value to read its evidence.
(function () {
  "use strict";
  var lang = document.documentElement.lang;
  function key(row, col) {
    var c = row.cells[col];
    if (!c) return "";
    return c.hasAttribute("data-sort") ? c.getAttribute("data-sort") : c.textContent.trim();
  }
  document.querySelectorAll("table.sortable th[data-col]").forEach(function (th) {
    th.addEventListener("click", function () {
      var table = th.closest("table"), body = table.tBodies[0], col = +th.getAttribute("data-col");
      var dir = th.getAttribute("data-dir") === "asc" ? "desc" : "asc";
      table.querySelectorAll("th[data-dir]").forEach(function (h) { h.removeAttribute("data-dir"); });
      th.setAttribute("data-dir", dir);
      var rows = Array.prototype.slice.call(body.rows);
      var keys = new Map(rows.map(function (r) { return [r, key(r, col)]; }));
      var numeric = rows.every(function (r) { var k = keys.get(r); return k === "" || !isNaN(k); });
      rows.sort(function (a, b) {
        var x = keys.get(a), y = keys.get(b);
        if (x === "" || y === "") return (x === "") - (y === "");
        var c = numeric ? x - y : x.localeCompare(y, lang);
        return dir === "asc" ? c : -c;
      });
      body.append.apply(body, rows);
    });
  });
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    var table = document.getElementById(input.getAttribute("data-filter"));
    var count = input.parentNode.parentNode.querySelector(".count");
    var texts = null;
    function apply() {
      var rows = table.tBodies[0].rows, q = input.value.trim().toLowerCase(), shown = 0;
      if (!texts) texts = Array.prototype.map.call(rows, function (r) { return [r, r.textContent.toLowerCase()]; });
      texts.forEach(function (rt) { var ok = !q || rt[1].indexOf(q) >= 0; rt[0].hidden = !ok; shown += ok; });
      if (count) count.textContent = shown + " / " + rows.length;
    }
    input.addEventListener("input", apply);
    apply();
  });
  var panel = document.getElementById("evidence");
  document.addEventListener("click", function (e) {
    var el = e.target.closest(".v, td.m[title]");
    if (!el) { if (!e.target.closest("#evidence")) panel.hidden = true; return; }
    panel.textContent = el.getAttribute("title");
    panel.hidden = false;
  });
})();
