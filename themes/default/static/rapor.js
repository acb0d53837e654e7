// rapor's only script: finds a district as one types, copies a page's
// address. Every page is complete without it.
(function () {
  "use strict";
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var box = document.querySelector(".finder-box");
  var list = document.getElementById("finder-list");
  var input = document.getElementById("finder-q");
  var status = document.getElementById("finder-status");
  if (box && list && input && status) {
    var items = Array.prototype.map.call(list.children, function (li) {
      var name = li.querySelector("a.found");
      var code = li.getAttribute("data-code") || "";
      return { li: li, key: fold((name ? name.textContent : "") + " " + code) };
    });
    var update = function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (it) {
        var match = words.every(function (w) { return it.key.indexOf(w) !== -1; });
        it.li.hidden = !match;
        if (match) { shown += 1; }
      });
      status.textContent = words.length === 0 ? "" :
        shown === 0 ? status.getAttribute("data-none") :
        status.getAttribute("data-found").replace("{n}", String(shown));
    };
    box.hidden = false;
    input.addEventListener("input", update);
    update();
  }
  if (navigator.clipboard && window.isSecureContext) {
    Array.prototype.forEach.call(document.querySelectorAll("button.copy-link"), function (b) {
      b.hidden = false;
      b.addEventListener("click", function () {
        navigator.clipboard.writeText(b.getAttribute("data-copy")).then(function () {
          b.textContent = b.getAttribute("data-done");
        });
      });
    });
  }
})();
