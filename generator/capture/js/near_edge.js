/* exported nearEdge */
// Whether an element in view (its box r) lies closer than margin to the top or
// the bottom of the screen where a scroll can give it that room: it fits with
// it, nothing fixed or sticky holds it, and a scroller around it can move that
// way. A mark's outline there would be cut at the screen's edge.
const nearEdge = (el, r, margin) => {
  const down = r.bottom > innerHeight - margin;
  const up = r.top < margin;
  if ((!down && !up) || r.height + 2 * margin > innerHeight) return false;
  for (let n = el; n; n = n.parentElement) {
    if (["fixed", "sticky"].includes(getComputedStyle(n).position)) return false;
  }
  for (let n = el.parentElement; n; n = n.parentElement) {
    const scroller = n === document.scrollingElement
      || /auto|scroll|overlay/.test(getComputedStyle(n).overflowY);
    const end = n.scrollHeight - n.clientHeight;
    if (scroller && ((down && n.scrollTop < end - 1) || (up && n.scrollTop > 1))) return true;
  }
  return false;
};
