// gazette live reload: injected into pages served by `gazette serve` only.
(() => {
  const OVERLAY = "gazette-error-overlay";
  const show = (text) => {
    let box = document.getElementById(OVERLAY);
    if (!box) {
      box = document.createElement("div");
      box.id = OVERLAY;
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,0,0,.88);color:#fff;padding:2rem;overflow:auto;font:14px/1.5 ui-monospace,monospace";
      document.body.appendChild(box);
    }
    box.innerHTML = "<h2 style='margin-top:0;color:#ff9b9b'>gazette: the last change did not build</h2><pre style='white-space:pre-wrap'></pre><p>Fix the file and save: this page reloads.</p>";
    box.querySelector("pre").textContent = text;
  };
  const events = new EventSource("/__gazette/events");
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("css", () => {
    for (const link of document.querySelectorAll("link[rel=stylesheet]")) {
      const url = new URL(link.href);
      url.searchParams.set("gazette", Date.now());
      link.href = url.toString();
    }
    document.getElementById(OVERLAY)?.remove();
  });
  events.addEventListener("error", (e) => { if (e.data) show(e.data); });
})();
