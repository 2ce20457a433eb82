(element) => {
  const along = (start, end, size) => (end <= 0 || start >= size ? "center" : "nearest");
  let r = element.getBoundingClientRect();
  const block = along(r.top, r.bottom, innerHeight);
  const inline = along(r.left, r.right, innerWidth);
  let scrolled = false;
  if (r.top < 0 || r.bottom > innerHeight || r.left < 0 || r.right > innerWidth) {
    element.scrollIntoView({block, inline});
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
