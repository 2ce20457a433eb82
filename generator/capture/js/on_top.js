/* exported onTop, nameOf */
const composedParent = (n) => n.parentElement
  || (n.getRootNode() instanceof ShadowRoot ? n.getRootNode().host : null);
const holds = (a, b) => {
  for (let n = b; n; n = composedParent(n)) if (n === a) return true;
  return false;
};
const nameOf = (el) => {
  const id = el.id ? '#' + CSS.escape(el.id) : '';
  const classes = [...el.classList].slice(0, 2).map((c) => '.' + CSS.escape(c)).join('');
  const role = el.getAttribute('role'), testid = el.getAttribute('data-testid');
  return (el.tagName.toLowerCase() + id + classes + (role ? `[role=${role}]` : '')
    + (testid ? `[data-testid=${testid}]` : '')).slice(0, 120);
};
const onTop = (el) => {
  if (!el || !el.isConnected) return null;
  if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) return 'hidden';
  const r = el.getBoundingClientRect();
  const x0 = Math.max(0, r.left), y0 = Math.max(0, r.top);
  const x1 = Math.min(innerWidth, r.right), y1 = Math.min(innerHeight, r.bottom);
  const hit = x1 - x0 >= 1 && y1 - y0 >= 1
    ? document.elementFromPoint((x0 + x1) / 2, (y0 + y1) / 2) : null;
  if (!hit) return 'off the screen';
  if (holds(el, hit) || holds(hit, el)) return null;
  // A field's own label drawn over it (a floating label) is part of the field.
  const label = hit.closest('label');
  if (label && label.control === el) return null;
  let top = hit;
  for (let n = composedParent(hit); n && !holds(n, el); n = composedParent(n)) top = n;
  return nameOf(top);
};
