/* global onTop */
async ({marks, redactions, focus, details}) => {
  await document.fonts.ready;
  // A text box shows its first line, as a reader reading it back sees it:
  // typing leaves it scrolled to the caret, its first line cut off.
  if (details) for (const field of document.querySelectorAll('textarea')) field.scrollTop = 0;
  // include: on_top.js
  const W = innerWidth, H = innerHeight;
  const box = (r) => [r.left, r.top, r.width, r.height];
  const clip = (r) => {
    const x0 = Math.max(0, r.left), y0 = Math.max(0, r.top);
    const x1 = Math.min(W, r.right), y1 = Math.min(H, r.bottom);
    return x1 - x0 >= 1 && y1 - y0 >= 1 ? {left: x0, top: y0, right: x1, bottom: y1} : null;
  };
  const outward = (r) => {
    const x = Math.floor(r.left), y = Math.floor(r.top);
    return [x, y, Math.ceil(r.right) - x, Math.ceil(r.bottom) - y];
  };
  const shown = (el) => el.checkVisibility({opacityProperty: true, visibilityProperty: true});
  const REPLACED = /^(img|svg|canvas|video|input|select|textarea|button|iframe)$/i;
  const painted = (el) => {
    const s = getComputedStyle(el);
    const edge = ['Top', 'Right', 'Bottom', 'Left'].some(
      (side) => parseFloat(s['border' + side + 'Width']) > 0
        && s['border' + side + 'Style'] !== 'none');
    return REPLACED.test(el.tagName) || edge || s.boxShadow !== 'none'
      || s.backgroundImage !== 'none' || !/^rgba\(.*, 0\)$|^transparent$/.test(s.backgroundColor);
  };
  // Text cut off by an ancestor's overflow (an ellipsis) shows only inside it.
  const clips = new Map();
  const clipOf = (el) => {
    if (!el || el === document.documentElement) return new DOMRect(0, 0, W, H);
    if (clips.has(el)) return clips.get(el);
    const outer = clipOf(el.parentElement);
    let result = outer;
    const s = getComputedStyle(el);
    if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {
      const r = el.getBoundingClientRect();
      const left = Math.max(outer.left, r.left), top = Math.max(outer.top, r.top);
      const right = Math.min(outer.right, r.right), bottom = Math.min(outer.bottom, r.bottom);
      result = new DOMRect(left, top, Math.max(right - left, 0), Math.max(bottom - top, 0));
    }
    clips.set(el, result);
    return result;
  };
  const lines = (root) => {
    const found = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!/\S/.test(node.data) || !parent || !shown(parent)) continue;
      range.selectNodeContents(node);
      const bounds = clipOf(parent);
      for (const r of range.getClientRects()) {
        const left = Math.max(r.left, bounds.left), top = Math.max(r.top, bounds.top);
        const right = Math.min(r.right, bounds.right), bottom = Math.min(r.bottom, bounds.bottom);
        if (right > left && bottom > top) {
          found.push({r: new DOMRect(left, top, right - left, bottom - top), parent});
        }
      }
    }
    return found;
  };
  // A mark outlines what the element shows: a bare wrapper far wider than
  // its words is outlined around the words, a button around the button.
  const ink = (el) => {
    const r = el.getBoundingClientRect();
    if (painted(el)) return r;
    let left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
    const add = (b) => {
      if (b.width < 1 || b.height < 1) return;
      left = Math.min(left, b.left); top = Math.min(top, b.top);
      right = Math.max(right, b.right); bottom = Math.max(bottom, b.bottom);
    };
    for (const {r: b} of lines(el)) add(b);
    for (const child of el.querySelectorAll('*')) {
      if (shown(child) && painted(child)) add(child.getBoundingClientRect());
    }
    if (left === Infinity) return r;
    left = Math.max(left, r.left); top = Math.max(top, r.top);
    right = Math.min(right, r.right); bottom = Math.min(bottom, r.bottom);
    return new DOMRect(left, top, right - left, bottom - top);
  };
  const SEMANTIC = 'section,article,form,li,dialog,fieldset,figure,aside,table,tr,dl,'
    + '[role=dialog],[role=alertdialog],[role=listitem],[role=group],[role=region],'
    + '[role=article],[role=form],[role=row],[role=radiogroup],[role=tablist],'
    + '[role=toolbar],[role=menu]';
  const context = (el) => {
    const r = el.getBoundingClientRect();
    const area = Math.max(r.width * r.height, 1);
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const b = a.getBoundingClientRect();
      const seen = clip(b);
      if (!seen) continue;
      // Most of the screen, or a whole wide page's width, is no focus.
      const width = seen.right - seen.left;
      if (width * (seen.bottom - seen.top) > 0.6 * W * H || width > Math.max(0.75 * W, 480)) {
        return null;
      }
      const larger = b.width * b.height >= 3 * area
        && (b.width > r.width + 24 || b.height > r.height + 24);
      if (a.matches(SEMANTIC) || larger) return box(b);
    }
    return null;
  };
  const measure = (el) => el && el.isConnected && shown(el)
    ? {box: box(ink(el)), context: context(el), covered: onTop(el)} : null;
  const result = {
    marks: marks.map(measure),
    redactions: redactions.map((el) => el && el.isConnected
      ? {box: box(el.getBoundingClientRect()), context: context(el)} : null),
    focus: focus && focus.isConnected ? box(focus.getBoundingClientRect()) : null,
  };
  if (!details) return result;
  const text = [];
  for (const {r, parent} of lines(document.body)) {
    const c = clip(r);
    if (!c) continue;
    // Text under a fixed bar or a dialog's backdrop is not on the screen.
    const hit = document.elementFromPoint((c.left + c.right) / 2, (c.top + c.bottom) / 2);
    if (hit && !(hit === parent || parent.contains(hit) || hit.contains(parent))) continue;
    text.push(outward(c));
  }
  // A field's text is inside its border and padding.
  for (const field of document.querySelectorAll('input:not([type=hidden]),textarea,select')) {
    if (!shown(field)) continue;
    const r = field.getBoundingClientRect(), s = getComputedStyle(field);
    const inset = (side) => parseFloat(s['border' + side + 'Width'])
      + parseFloat(s['padding' + side]);
    const left = r.left + inset('Left'), top = r.top + inset('Top');
    const right = r.right - inset('Right'), bottom = r.bottom - inset('Bottom');
    const c = clip(new DOMRect(left, top, right - left, bottom - top));
    if (c) text.push(outward(c));
  }
  const bars = [], elements = [], panels = [];
  // A page's footer says nothing about the screen; a footer fixed to the
  // bottom (a phone's tab bar) is caught as fixed.
  const BAR = 'header,nav,[role=banner],[role=tablist],[role=navigation]';
  const CONTROL = '[role=button],[role=tab],[role=img],[role=switch],[role=checkbox],[role=radio]';
  for (const el of document.body.querySelectorAll('*')) {
    if (!shown(el)) continue;
    const c = clip(el.getBoundingClientRect());
    if (!c) continue;
    const width = c.right - c.left, height = c.bottom - c.top;
    const position = getComputedStyle(el).position;
    const edge = c.top <= 0.25 * H || c.bottom >= 0.75 * H;
    const fixed = (position === 'fixed' || position === 'sticky') && edge;
    if ((el.matches(BAR) || fixed) && width >= 0.5 * W && height <= 0.35 * H) bars.push(outward(c));
    if ((REPLACED.test(el.tagName) || el.matches(CONTROL)) && height <= 0.5 * H) {
      elements.push(outward(c));
    } else if (height <= 0.5 * H && painted(el)) {
      // Only whole on the screen: a card running off it is cut by the screen anyway.
      const r = el.getBoundingClientRect();
      if (r.top >= 0 && r.left >= 0 && r.bottom <= H && r.right <= W) panels.push(outward(c));
    }
  }
  // What a reader could tap: a badge on one of them would seem to point at it.
  // One under a fixed bar or a dialog's backdrop is not on the screen. A label
  // is a control where it is a row to choose (around a checkbox or a radio);
  // a field's label names the field, and a badge by it points at the field.
  const INTERACTIVE = 'a[href],button,input:not([type=hidden]),select,textarea,summary,'
    + 'label:has(input[type=checkbox],input[type=radio]),'
    + '[contenteditable=true],[role=button],[role=link],[role=checkbox],[role=radio],[role=tab],'
    + '[role=menuitem],[role=menuitemcheckbox],[role=menuitemradio],[role=option],[role=switch],'
    + '[role=textbox],[role=combobox],[role=searchbox],[role=slider],[role=spinbutton]';
  const controls = [];
  for (const el of document.body.querySelectorAll(INTERACTIVE)) {
    if (!shown(el)) continue;
    const c = clip(el.getBoundingClientRect());
    if (!c) continue;
    const hit = document.elementFromPoint((c.left + c.right) / 2, (c.top + c.bottom) / 2);
    if (hit && (hit === el || el.contains(hit))) controls.push(outward(c));
  }
  const order = (a, b) => a[1] - b[1] || a[0] - b[0] || a[3] - b[3] || a[2] - b[2];
  const unique = (list, limit) => {
    const seen = new Set();
    const fresh = (b) => !seen.has(b.join()) && seen.add(b.join());
    return list.sort(order).filter(fresh).slice(0, limit);
  };
  return {
    ...result, text: unique(text, 400), bars: unique(bars, 20), elements: unique(elements, 200),
    panels: unique(panels, 200), controls: unique(controls, 300),
  };
}
