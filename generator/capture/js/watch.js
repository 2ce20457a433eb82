(reset) => {
  const key = Symbol.for("guidegen.watch");
  const watch = window[key];
  if (!reset) return !!watch && !watch.changed && document.readyState === "complete";
  if (!watch) {
    window[key] = {changed: false};
    new MutationObserver(() => { window[key].changed = true; }).observe(document, {
      subtree: true, childList: true, attributes: true, characterData: true});
  }
  window[key].changed = false;
  return false;
}
