/* global nearEdge */
(element, margin) => {
  // include: near_edge.js
  const r = element.getBoundingClientRect();
  if (r.top < 0 || r.bottom > innerHeight || r.left < 0 || r.right > innerWidth) return true;
  if (nearEdge(element, r, margin)) return true;
  const x = r.left + r.width / 2, inset = Math.min(2, r.height / 2);
  return ![r.top + r.height / 2, r.top + inset, r.bottom - inset].every((y) => {
    const hit = document.elementFromPoint(x, y);
    return hit && (hit === element || element.contains(hit));
  });
}
