// Added to every page by `roadmap serve`, never by `roadmap build` (files whose names
// start with _ are not part of the site): reloads the page when its file or an asset
// changed, and shows the current errors in an overlay until they are fixed.
(() => {
  const here = location.pathname.replace(/^\//, "").replace(/(^|\/)$/, "$1index.html");
  let overlay = null;
  function show(errors) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "roadmap-errors";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;" +
        "z-index:2147483647;background:#2b0b0e;color:#ffe9ea;padding:1rem 1.25rem;" +
        "font:14px/1.5 ui-monospace,monospace;border-top:4px solid #ff6b6b";
      document.body.appendChild(overlay);
    }
    overlay.replaceChildren();
    const title = document.createElement("strong");
    title.textContent = errors.length + " error(s): showing the last good site";
    overlay.appendChild(title);
    for (const line of errors) {
      const row = document.createElement("pre");
      row.style.cssText = "margin:.4rem 0 0;white-space:pre-wrap";
      row.textContent = line;
      overlay.appendChild(row);
    }
  }
  function clear() { if (overlay) { overlay.remove(); overlay = null; } }
  const source = new EventSource("/__roadmap__/events");
  source.addEventListener("hello", (e) => {
    const data = JSON.parse(e.data);
    data.errors.length ? show(data.errors) : clear();
  });
  source.addEventListener("errors", (e) => show(JSON.parse(e.data).errors));
  source.addEventListener("reload", (e) => {
    const changed = JSON.parse(e.data).changed;
    clear();
    if (changed.includes(here) || changed.some((p) => p.startsWith("assets/"))) {
      source.close();  // end the stream before leaving, rather than have it cut
      location.reload();
    }
  });
})();
