// Copy buttons for short links (templates/partnerships/_short_link.html).
// Without JavaScript the button stays hidden and the link is plain,
// selectable text; with it, the button copies the link and says so.
(function () {
  "use strict";
  if (window.hsbpCopy) { return; }  // the include may appear more than once
  window.hsbpCopy = true;
  function ready() {
    if (!navigator.clipboard) { return; }
    document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
      var status = button.parentNode.querySelector(".copy-status");
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
          if (status) { status.textContent = button.getAttribute("data-copied"); }
        });
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
