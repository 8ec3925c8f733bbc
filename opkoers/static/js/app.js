// Small helpers on top of htmx: focus and announcements after a swap, a message on errors.
// The app works without this file; it only makes the htmx flow easier to follow.
(function () {
  "use strict";
  function announce(text) {
    var live = document.getElementById("live");
    if (live) { live.textContent = ""; window.setTimeout(function () { live.textContent = text; }, 50); }
  }
  function focusErrors() {
    var summary = document.querySelector(".alert--error[data-focus-on-load]");
    if (summary) { summary.focus(); }
  }
  // A table too wide for the screen scrolls in its own frame: that frame can then be reached with
  // the keyboard (to scroll it with the arrow keys) and is named after its table.
  function scrollableTables() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        var named = wrap.querySelector("caption") || (wrap.closest("section, main") || document).querySelector("h1, h2");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", named ? named.textContent.trim() : document.title);
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  // On a phone the main menu folds behind the menu button (the style sheet does that for a page
  // marked as scripted; without the script the whole menu shows). The button opens and closes it.
  document.documentElement.classList.add("js");
  function setMenu(open) {
    var toggle = document.querySelector(".menu-toggle");
    var menu = document.getElementById("site-menu");
    if (!toggle || !menu) { return; }
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("site-menu--open", open);
  }
  function menuIsOpen() {
    var toggle = document.querySelector(".menu-toggle");
    return toggle !== null && toggle.getAttribute("aria-expanded") === "true";
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest(".menu-toggle")) { setMenu(!menuIsOpen()); }
  });
  document.addEventListener("keydown", function (event) {  // Escape closes it, back on the button
    var menu = document.getElementById("site-menu");
    if (event.key !== "Escape" || !menuIsOpen() || !menu || !menu.contains(document.activeElement)) { return; }
    setMenu(false);
    document.querySelector(".menu-toggle").focus();
  });
  // A window that narrows to a phone's width (or a zoom) while the focus is in the menu: the menu
  // opens, and the focus, which the browser dropped as the menu folded, goes back where it was.
  var inMenu = null;
  document.addEventListener("focusin", function (event) {
    var menu = document.getElementById("site-menu");
    inMenu = menu && menu.contains(event.target) ? event.target : null;
  });
  var phone = window.matchMedia("screen and (max-width: 40rem)");
  function narrowed() {
    var focused = document.activeElement;
    if (!phone.matches || !inMenu || !inMenu.isConnected || (focused && focused !== document.body && focused !== inMenu)) {
      return;
    }
    setMenu(true);
    inMenu.focus();
  }
  if (phone.addEventListener) { phone.addEventListener("change", narrowed); } else { phone.addListener(narrowed); }
  var resizing;
  document.addEventListener("DOMContentLoaded", scrollableTables);
  document.addEventListener("htmx:afterSettle", scrollableTables);
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(scrollableTables, 150);
  });
  document.addEventListener("DOMContentLoaded", focusErrors);
  // Screen readers hear that the part about to be replaced is busy, as sighted users see a bar.
  function busy(event, waiting) {
    var part = event.detail.target || event.detail.elt;
    if (!part) { return; }
    if (waiting) { part.setAttribute("aria-busy", "true"); } else { part.removeAttribute("aria-busy"); }
  }
  document.addEventListener("htmx:beforeRequest", function (event) { busy(event, true); });
  document.addEventListener("htmx:afterRequest", function (event) { busy(event, false); });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target) { return; }
    if (target === document.body) { focusErrors(); return; }
    // An outerHTML swap replaced the target: continue with the new element of the same id.
    if (!target.isConnected && target.id) { target = document.getElementById(target.id); }
    if (!target) { return; }
    // After a save (the answer asks to announce it) the focus goes to the part's heading: the user
    // hears where they are and tabs on from there. A form that just opened takes it in its first field.
    var saved = /"announce"/.test(event.detail.xhr.getResponseHeader("HX-Trigger") || "");
    var heading = target.querySelector("h2, h3");
    var focus = target.querySelector("[data-focus-on-load]") ||
      (saved && heading) ||
      target.querySelector("input:not([type=hidden]), select, textarea") ||
      heading;
    if (focus) {
      if (!focus.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(focus.tagName)) {
        focus.setAttribute("tabindex", "-1");
      }
      focus.focus();
    }
    var message = target.querySelector("[data-announce]");
    if (message) { announce(message.getAttribute("data-announce")); }
  });
  // A save in place that the answer's HX-Trigger header names: "announce" with the text to hear.
  document.addEventListener("announce", function (event) { announce(event.detail.value); });
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    var text = document.documentElement.lang === "en"
      ? "Something went wrong (" + status + "). Reload the page and try again."
      : "Er ging iets mis (" + status + "). Laad de pagina opnieuw en probeer het nog eens.";
    announce(text);
    window.alert(text);
  });
}());
