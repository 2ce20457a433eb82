async ({ready, frames}) => {
  const there = () => !ready || document.querySelector(ready) !== null;
  // A document that has just replaced the last one is looked at once it has loaded.
  if (document.readyState !== 'complete') return {ready: there(), still: false};
  await document.fonts.ready;
  const refreshed = Symbol.for('guidegen.fonts-refreshed');
  if (!document[refreshed]) {
    document[refreshed] = true;
    const face = new FontFace('guidegen-refresh', 'local(guidegen-refresh)');
    document.fonts.add(face);
    document.fonts.delete(face);
  }
  const stop = () => {
    for (const animation of document.getAnimations()) {
      if (animation.playState !== 'running') continue;
      const timing = animation.effect ? animation.effect.getComputedTiming() : null;
      if (timing && timing.endTime !== Infinity) animation.finish();
      else animation.cancel();
    }
  };
  const shape = () => {
    const root = document.documentElement;
    const parts = [scrollX, scrollY, root.scrollWidth, root.scrollHeight, document.fonts.status];
    for (const element of root.getElementsByTagName('*')) {
      const r = element.getBoundingClientRect();
      parts.push(r.left, r.top, r.width, r.height);
    }
    return parts.join();
  };
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  stop();
  let before = shape();
  for (let n = 0; n < frames; n++) {
    await frame();
    stop();
    const now = shape();
    if (now === before && there()) return {ready: true, still: true};
    before = now;
  }
  return {ready: there(), still: false};
}
