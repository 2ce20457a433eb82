/* global nearEdge */
(element, margin) => {
  // include: near_edge.js
  const along = (start, end, size) => (end <= 0 || start >= size ? "center" : "nearest");
  let r = element.getBoundingClientRect();
  const block = along(r.top, r.bottom, innerHeight);
  const inline = along(r.left, r.right, innerWidth);
  let scrolled = false;
  const out = r.top < 0 || r.bottom > innerHeight || r.left < 0 || r.right > innerWidth;
  if (out || nearEdge(element, r, margin)) {
    // To the nearest edge, with room for a mark's outline where the element fits
    // with it. The room is a scroll margin, given for this scroll only.
    const style = element.getAttribute("style");
    if (r.height + 2 * margin <= innerHeight) element.style.scrollMarginBlock = `${margin}px`;
    element.scrollIntoView({block, inline});
    if (style === null) element.removeAttribute("style");
    else element.setAttribute("style", style);
    r = element.getBoundingClientRect();
    scrolled = true;
  }
  // Its middle and its top and bottom edges: a button half under a tab bar is
  // covered too, though its middle shows.
  const x = r.left + r.width / 2;
  const seen = (y) => {
    const hit = y >= 0 && y < innerHeight && x >= 0 && x < innerWidth
      ? document.elementFromPoint(x, y) : null;
    return hit && (hit === element || element.contains(hit));
  };
  const inset = Math.min(2, r.height / 2);
  if (![r.top + r.height / 2, r.top + inset, r.bottom - inset].every(seen)) {
    element.scrollIntoView({block: "center", inline: "nearest"});
    scrolled = true;
  }
  return scrolled;
}
