// Small enhancements; every page works without them.
(function () {
  "use strict";

  // Buttons that need a script are hidden until it runs.
  document.querySelectorAll(".js-only[hidden]").forEach(function (el) {
    el.hidden = false;
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) {
      button.hidden = true;
      return;
    }
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.replace(/\s+/g, " ").trim()).then(
        function () {
          button.textContent = "Citation copied";
        },
        function () {
          button.textContent = "Copy failed: select the text instead";
        }
      );
    });
  });
})();
