// Confirmation before destructive actions: <form data-confirm="Are you sure?">. No inline JS (CSP).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var message = form.getAttribute && form.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
}, true);

// --- Phones and forms after an error (issue 13 points 5-6; docs/conventions.md "Page layout") ---
(function () {
  // The menu folds behind the "Menu" button on a narrow screen (CSS); without JS it stays open.
  var toggle = document.querySelector(".menu-toggle");
  var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (toggle && menu) {
    document.documentElement.classList.add("menu-folds");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("open", open);
    });
  }

  // A table wider than its .table-scroll wrapper scrolls within it: make the wrapper reachable by
  // keyboard, named after the table (its caption or the heading above it).
  function tableName(wrapper) {
    var table = wrapper.querySelector("table");
    var caption = table && table.querySelector("caption");
    if (caption) return caption.textContent.trim();
    var name = document.title;  // the heading closest above the table, else the page's title
    document.querySelectorAll("main h1, main h2, main h3").forEach(function (heading) {
      if (heading.compareDocumentPosition(wrapper) & Node.DOCUMENT_POSITION_FOLLOWING) {
        name = heading.textContent.trim();
      }
    });
    return name;
  }
  function markScrollingTables() {
    document.querySelectorAll(".table-scroll").forEach(function (wrapper) {
      if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
        wrapper.setAttribute("tabindex", "0");
        wrapper.setAttribute("role", "region");
        wrapper.setAttribute("aria-label", tableName(wrapper));
      } else {
        wrapper.removeAttribute("tabindex");
        wrapper.removeAttribute("role");
        wrapper.removeAttribute("aria-label");
      }
    });
  }
  markScrollingTables();
  window.addEventListener("resize", markScrollingTables);
  document.addEventListener("toggle", markScrollingTables, true);  // a table inside <details> opened
  document.addEventListener("htmx:afterSettle", markScrollingTables);

  // A refused form: focus its error summary (core/_form_errors.html), so a screen reader reads it
  // and the keyboard starts there; each link in it focuses its field.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      field.scrollIntoView({ block: "center" });
      field.focus();
    }
  });
})();
// --- end of phones and forms ---
