// Confirmation before destructive actions: <form data-confirm="Are you sure?">. No inline JS (CSP).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var message = form.getAttribute && form.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
}, true);

/* --- Issue 13 (wt-flow): the referral line follows the triage suggestion; unsaved text warning --- */
(function () {
  // The referral form: a new suggestion (htmx swaps #suggestion) preselects its line unless the user
  // chose a line by hand; choosing another line than the suggested one shows why it was suggested.
  function lineSelect() {
    return document.querySelector("form[data-referral-form] select[name=line]");
  }
  function showWhy() {
    var box = document.getElementById("suggestion");
    var why = document.getElementById("suggestion-why");
    var select = lineSelect();
    if (!box || !why || !select) { return; }
    var suggested = box.getAttribute("data-suggested-line");
    why.hidden = !(suggested && select.value && select.value !== suggested);
  }
  function followSuggestion() {
    var box = document.getElementById("suggestion");
    var select = lineSelect();
    if (!box || !select) { return; }
    var suggested = box.getAttribute("data-suggested-line");
    if (suggested && !select.hasAttribute("data-chosen")) {
      select.value = suggested;
    }
    showWhy();
  }
  document.addEventListener("change", function (event) {
    var select = lineSelect();
    if (select && event.target === select) {
      select.setAttribute("data-chosen", "by-hand");
      showWhy();
    }
  });
  document.addEventListener("htmx:afterSwap", followSuggestion);
  document.addEventListener("DOMContentLoaded", showWhy);

  // A form marked data-unsaved-warning asks before its typed text is lost: leaving the page, or
  // posting another form of the page, while a field changed since the page was loaded.
  var dirty = null;
  var submitting = null;
  document.addEventListener("input", function (event) {
    var form = event.target && event.target.form;
    if (form && form.hasAttribute("data-unsaved-warning")) { dirty = form; }
  });
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) { submitting = event.target; }
  });
  // A refused form shown again holds text that was not saved.
  document.addEventListener("DOMContentLoaded", function () {
    var refused = document.querySelector("form[data-unsaved-warning] .field-error, form[data-unsaved-warning] .form-errors");
    if (refused) { dirty = refused.closest("form"); }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && submitting !== dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
/* --- end issue 13 (wt-flow) --- */
