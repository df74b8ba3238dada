// While an import form is sent: its button is disabled and says so (<form data-busy="bezig…">).
// No inline JS (CSP). The import runs synchronously; this only shows that it is running.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var label = form.getAttribute && form.getAttribute("data-busy");
  if (!label || event.defaultPrevented) {
    return;
  }
  form.querySelectorAll("button[type=submit]").forEach(function (button) {
    button.textContent = label;
    button.setAttribute("aria-busy", "true");
    // Disabled after the submit has been dispatched, so the form is still sent.
    window.setTimeout(function () { button.disabled = true; }, 0);
  });
});
