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

  // The map's year slider: fetch the map page for that year and swap in its map and table,
  // without reloading the page (the form with a date does the same without a script).
  document.querySelectorAll("[data-map-slider]").forEach(function (slider) {
    var form = slider.form;
    var shown = document.getElementById("map-year-shown");
    var pending = null;
    function load() {
      var year = slider.value;
      var params = new URLSearchParams(new FormData(form));
      params.set("as_of", year === slider.getAttribute("data-this-year") ? "" : year + "-12-31");
      if (!params.get("as_of")) params.delete("as_of");
      var url = form.getAttribute("action") + "?" + params.toString();
      fetch(url, { headers: { Accept: "text/html" } })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html");
          ["map-live"].forEach(function (id) {
            var now = document.getElementById(id);
            var next = fresh.getElementById(id);
            if (now && next) now.replaceWith(next);
          });
          var date = fresh.getElementById("id_as_of");
          if (date) document.getElementById("id_as_of").value = date.value;
          var title = fresh.querySelector("h1");
          if (title) document.querySelector("h1").textContent = title.textContent;
          document.title = fresh.title;
          history.replaceState(null, "", url);
        });
    }
    slider.addEventListener("input", function () {
      shown.textContent = slider.value;
      clearTimeout(pending);
      pending = setTimeout(load, 150);
    });
  });
})();
