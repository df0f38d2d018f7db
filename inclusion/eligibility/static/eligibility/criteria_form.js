// Progressive enhancement of the eligibility forms (the server checks everything again):
// - focus the error summary when the browser ignored its autofocus attribute;
// - show the children of a GEIQ parent criterion only while the parent is ticked (unticked children are discarded
//   by the server anyway, eligibility.md §7.2);
// - keep the submit button disabled until the GEIQ commitment is ticked (eligibility.md §7.1).
(function () {
  "use strict";

  var summary = document.querySelector("[data-focus-on-load]");
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }

  document.querySelectorAll("[data-toggles-children]").forEach(function (parent) {
    var children = document.getElementById(parent.getAttribute("aria-controls"));
    if (!children) {
      return;
    }
    var sync = function () {
      children.hidden = !parent.checked;
      parent.setAttribute("aria-expanded", parent.checked ? "true" : "false");
    };
    parent.addEventListener("change", sync);
    sync();
  });

  document.querySelectorAll("[data-enables]").forEach(function (checkbox) {
    var button = document.getElementById(checkbox.getAttribute("data-enables"));
    if (!button) {
      return;
    }
    var sync = function () {
      button.disabled = !checkbox.checked;
    };
    checkbox.addEventListener("change", sync);
    sync();
  });
})();
