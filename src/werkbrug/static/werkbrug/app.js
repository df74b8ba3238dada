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

/* --- Issue 13 (wt-flow): the referral line follows the triage suggestion; unsaved text warning --- */
(function () {
  // The referral form: a new suggestion (htmx swaps #suggestion) preselects its line in the line's
  // chooser (core.choosers) unless the user chose or typed a line by hand; choosing another line than
  // the suggested one shows why it was suggested.
  function lineChooser() {
    var form = document.querySelector("form[data-referral-form]");
    var box = form && form.querySelector("input[name=line__q]");
    if (!box) { return null; }
    var root = box.closest("[data-chooser]");
    return {
      box: box,
      pk: root.querySelector("[data-chooser-pk]"),
      label: root.querySelector("[data-chooser-label]"),
      results: root.querySelector(".chooser-results"),
      value: function () {
        var picked = this.pk || root.querySelector("input[name=line]:checked");
        return picked ? picked.value : "";
      }
    };
  }
  function showWhy() {
    var box = document.getElementById("suggestion");
    var why = document.getElementById("suggestion-why");
    var line = lineChooser();
    if (!box || !why || !line) { return; }
    var suggested = box.getAttribute("data-suggested-line");
    var chosen = line.value();
    why.hidden = !(suggested && chosen && chosen !== suggested);
  }
  function followSuggestion() {
    var box = document.getElementById("suggestion");
    var line = lineChooser();
    if (!box || !line) { return; }
    var suggested = box.getAttribute("data-suggested-line");
    if (suggested && line.pk && !line.box.hasAttribute("data-chosen")) {
      var label = box.getAttribute("data-suggested-label") || "";
      line.pk.value = suggested;
      if (line.label) { line.label.value = label; }
      line.box.value = label;
      if (line.results) { line.results.innerHTML = ""; }
    }
    showWhy();
  }
  function byHand(event) {
    var line = lineChooser();
    if (line && line.box.closest("[data-chooser]").contains(event.target)) {
      line.box.setAttribute("data-chosen", "by-hand");
      showWhy();
    }
  }
  document.addEventListener("chooser:picked", byHand);
  document.addEventListener("input", byHand);
  document.addEventListener("change", byHand);
  document.addEventListener("htmx:afterSwap", function (event) {
    // A chooser's own results do not count: only a new suggestion.
    if (!(event.target && event.target.closest && event.target.closest("[data-chooser]"))) { followSuggestion(); }
  });
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

/* --- Choosers (core.choosers, issue 14): a search box instead of a long <select> --- */
(function () {
  // htmx asks core:choose with the box's text as `q` (the box's own name carries the field's name).
  document.addEventListener("htmx:configRequest", function (event) {
    var box = event.detail.elt;
    if (!box || !box.hasAttribute || !box.hasAttribute("data-chooser-input")) { return; }
    var params = event.detail.parameters;
    delete params[box.name];
    params.q = box.value;
  });
  function parts(node) {
    var root = node && node.closest && node.closest("[data-chooser]");
    if (!root) { return null; }
    return {
      root: root,
      box: root.querySelector("[data-chooser-input]"),
      pk: root.querySelector("[data-chooser-pk]"),
      label: root.querySelector("[data-chooser-label]"),
      results: root.querySelector(".chooser-results")
    };
  }
  function options(chooser) {
    return Array.prototype.slice.call(chooser.results.querySelectorAll("[data-chooser-pick]"));
  }
  function pick(button) {
    var chooser = parts(button);
    if (!chooser) { return; }
    if (chooser.pk) { chooser.pk.value = button.getAttribute("data-pk"); }
    if (chooser.label) { chooser.label.value = button.getAttribute("data-label"); }
    chooser.box.value = button.getAttribute("data-label");
    chooser.results.innerHTML = "";
    chooser.root.querySelectorAll("input[type=radio]").forEach(function (radio) { radio.checked = false; });
    chooser.box.focus();
    chooser.box.dispatchEvent(new Event("change", { bubbles: true }));
    chooser.root.dispatchEvent(new CustomEvent("chooser:picked", { bubbles: true }));
  }
  // Typing another text forgets the chosen row: the text is searched again (or resolved on submit).
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.hasAttribute || !box.hasAttribute("data-chooser-input")) { return; }
    var chooser = parts(box);
    if (chooser && chooser.pk) { chooser.pk.value = ""; }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-chooser-pick]");
    if (button) {
      event.preventDefault();
      pick(button);
    }
  });
  // Keyboard: arrow down from the box into the list, arrows within it, Escape back to the box.
  // Enter in the box picks the only result, and otherwise does not submit a half-chosen form.
  document.addEventListener("keydown", function (event) {
    var chooser = parts(event.target);
    if (!chooser) { return; }
    var list = options(chooser);
    var at = list.indexOf(event.target);
    if (event.key === "ArrowDown" && list.length) {
      event.preventDefault();
      list[Math.min(at + 1, list.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? chooser.box : list[at - 1]).focus();
    } else if (event.key === "Escape" && list.length) {
      chooser.results.innerHTML = "";
      chooser.box.focus();
    } else if (event.key === "Enter" && event.target === chooser.box && list.length) {
      event.preventDefault();
      if (list.length === 1) { pick(list[0]); } else { list[0].focus(); }
    }
  });
})();
/* --- end of choosers --- */
