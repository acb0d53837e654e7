// rapor serve: reload the page when the site is rebuilt; show build errors on top.
(function () {
  var version = __VERSION__;
  function overlay(text) {
    var box = document.getElementById("rapor-errors");
    if (!text) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "rapor-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(11,12,12,.94);color:#fff;padding:2rem;font:15px/1.5 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "rapor: the site could not be rebuilt. Fix the content; this page updates by itself.\n\n" + text;
  }
  function poll() {
    fetch("__ROOT____rapor/poll?v=" + version, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.version !== version) {
          if (s.errors) { version = s.version; overlay(s.errors); }
          else { location.reload(); return; }
        } else if (s.errors) { overlay(s.errors); }
        poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
