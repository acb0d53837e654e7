// rapor serve: reload the page when the site is rebuilt; show build errors on top.
(function () {
  var version = null;
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
    // The first answer is the build this page belongs to; later ones wait for the next.
    fetch("/__rapor/poll" + (version === null ? "" : "?v=" + version), { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (version !== null && s.version !== version && !s.errors) { location.reload(); return; }
        version = s.version;
        overlay(s.errors);
        poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
