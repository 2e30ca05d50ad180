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
  // Show progress of long requests started from htmx.
  document.addEventListener("htmx:beforeRequest", function () { document.body.classList.add("busy"); });
  document.addEventListener("htmx:afterRequest", function () { document.body.classList.remove("busy"); });
})();
