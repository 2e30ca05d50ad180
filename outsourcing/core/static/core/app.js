// Small behaviours every page shares. No inline scripts anywhere: the CSP forbids them.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]")) { el.form.submit(); }
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
