// Confirmation before destructive actions: <form data-confirm="Are you sure?">. No inline JS (CSP).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var message = form.getAttribute && form.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
}, true);
