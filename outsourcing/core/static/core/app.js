// Small behaviours every page shares. No inline scripts anywhere: the CSP forbids them.
(function () {
  "use strict";
  // Bulk selection (core/_bulk_bar.html): "select all" ticks the page's rows of its form; the bar counts them.
  function bulkCount(formId) {
    var label = document.querySelector("[data-bulk-count='" + CSS.escape(formId) + "']");
    if (!label) { return; }
    var n = document.querySelectorAll("input[type=checkbox][name=ids][form='" + CSS.escape(formId) + "']:checked").length;
    var bar = document.getElementById(formId);
    label.textContent = n ? (bar.getAttribute("data-selected-text") || "{n} selected").replace("{n}", n) : label.getAttribute("data-none") || label.textContent;
  }
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]")) { el.form.submit(); }
    if (el.matches && el.matches("[data-select-all]")) {
      var formId = el.getAttribute("data-select-all");
      document.querySelectorAll("input[type=checkbox][name=ids][form='" + CSS.escape(formId) + "']").forEach(function (box) {
        box.checked = el.checked;
      });
      bulkCount(formId);
    } else if (el.matches && el.matches("input[type=checkbox][name=ids][form]")) {
      bulkCount(el.getAttribute("form"));
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-bulk-count]").forEach(function (label) {
      label.setAttribute("data-none", label.textContent);
    });
  });
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest("[data-nav-toggle]");
    if (toggle) {
      var open = document.body.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    var confirmEl = event.target.closest && event.target.closest("[data-confirm]");
    if (confirmEl && !window.confirm(confirmEl.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
    var tab = event.target.closest && event.target.closest("[role=tab][data-tab]");
    if (tab) {
      event.preventDefault();
      var list = tab.closest("[role=tablist]");
      list.querySelectorAll("[role=tab]").forEach(function (t) {
        var selected = t === tab;
        t.setAttribute("aria-selected", selected ? "true" : "false");
        var panel = document.getElementById(t.getAttribute("data-tab"));
        if (panel) { panel.hidden = !selected; }
      });
      history.replaceState(null, "", "#" + tab.getAttribute("data-tab"));
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var hash = window.location.hash.slice(1);
    if (hash) {
      var tab = document.querySelector("[role=tab][data-tab='" + CSS.escape(hash) + "']");
      if (tab) { tab.click(); }
    }
  });
  // Sorting for the tables whose rows are all on the page (details, catalogues, small lists). Tables sorted on the
  // server (core/_table_head.html: links in the header), tables of a paged list (their rows are one page of many),
  // tables of form fields and tables marked data-nosort are left as they are.
  var collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true, sensitivity: "base" });
  function cellKey(cell) {
    var text = (cell ? cell.textContent : "").trim();
    var plain = text.replace(/[\s,%¥$€£]/g, "").replace(/\u00a0/g, "");
    var number = /^[-+]?\d+(\.\d+)?$/.test(plain) ? parseFloat(plain) : null;
    return { text: text, number: number, empty: text === "" || text === "—" || text === "-" };
  }
  function sortBy(table, th, index) {
    var body = table.tBodies[0];
    var descending = th.getAttribute("aria-sort") === "ascending";
    var rows = Array.prototype.slice.call(body.rows).map(function (row, position) {
      return { row: row, key: cellKey(row.cells[index]), position: position };
    });
    var numeric = rows.every(function (r) { return r.key.empty || r.key.number !== null; });
    rows.sort(function (a, b) {
      if (a.key.empty !== b.key.empty) { return a.key.empty ? 1 : -1; }  // blanks last, either way
      var order = numeric ? (a.key.number || 0) - (b.key.number || 0) : collator.compare(a.key.text, b.key.text);
      if (descending) { order = -order; }
      return order || a.position - b.position;  // equal rows keep their order
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
    table.querySelectorAll("thead th").forEach(function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }
  function sortable(table) {
    if (table.hasAttribute("data-nosort") || table.hasAttribute("data-sortable") || !table.tHead || !table.tBodies[0]) { return false; }
    var heads = table.tHead.rows.length === 1 ? table.tHead.rows[0].cells : [];
    if (!heads.length || table.tHead.querySelector("a") || table.tBodies[0].rows.length < 2) { return false; }
    if (table.tBodies[0].querySelector("textarea, select, input:not([type=checkbox]):not([type=hidden])")) { return false; }
    var lengths = Array.prototype.every.call(table.tBodies[0].rows, function (row) { return row.cells.length === heads.length; });
    if (!lengths) { return false; }
    var holder = table.closest("section, .panel, main");
    var pager = holder && holder.querySelector("nav.pager");
    return !(pager && !(Number(pager.getAttribute("data-count")) <= table.tBodies[0].rows.length));
  }
  function makeSortable(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("table.data").forEach(function (table) {
      if (!sortable(table)) { return; }
      table.setAttribute("data-sortable", "");
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
        if (!th.textContent.trim() || th.querySelector("input, button")) { return; }
        var button = document.createElement("button");
        button.type = "button";
        button.className = "th-sort";
        while (th.firstChild) { button.appendChild(th.firstChild); }
        th.appendChild(button);
        button.addEventListener("click", function () { sortBy(table, th, index); });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { makeSortable(document); });
  document.addEventListener("htmx:load", function (event) { makeSortable(event.target); });
  // Show progress of long requests started from htmx.
  document.addEventListener("htmx:beforeRequest", function () { document.body.classList.add("busy"); });
  document.addEventListener("htmx:afterRequest", function () { document.body.classList.remove("busy"); });
})();
