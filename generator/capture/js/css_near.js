/* global compound */
// The visible elements that a looser form of a missing selector finds, each
// written as a selector of its own: its tag, its id or classes, and its values
// of the attributes the selector tested. One form drops the selector's
// attribute tests and pseudo-classes, so what it finds has the selector's
// structure (a link whose href changed); the next drops ids and classes too,
// and finds any element (a class that was renamed). Returns how loose the form
// that found something is (0: what it finds is offered however far from the
// selector; 1: only what is near), the selector's last compound (what names the
// element itself, which what was found is compared with) and what it found,
// bounded.
(selector) => {
  // The last compound starts after the last combinator or comma outside
  // brackets and parentheses (a bracket in quotes is text).
  let start = 0;
  let depth = 0;
  let quote = "";
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === "[" || c === "(") {
      depth++;
    } else if (c === "]" || c === ")") {
      depth--;
    } else if (depth === 0 && /[\s>+~,]/.test(c) && selector.slice(i).trim()) {
      start = i + 1;
    }
  }
  const last = selector.slice(start).trim();
  const shown = (el) => el.checkVisibility({visibilityProperty: true});
  const tested = [...new Set([...selector.matchAll(/\[\s*([\w-]+)/g)].map((m) => m[1]))];
  const bare = selector
    .replace(/\[(?:[^\]"']|"[^"]*"|'[^']*')*\]/g, "")
    .replace(/::?[\w-]+(?:\((?:[^()]|\([^()]*\))*\))?/g, "");
  // include: compound.js
  const written = (el) => {
    let text = compound(el);
    for (const name of tested) {
      if (el.hasAttribute(name)) text += `[${name}=${JSON.stringify(el.getAttribute(name))}]`;
    }
    return text;
  };
  // Before those, the last compound alone, when the selector has more: the
  // element itself, now elsewhere in the page (Fava's + button, in the sidebar
  // on a computer and beside the menu button on a phone).
  const forms = [
    [0, last === selector.trim() ? "" : last],
    [0, bare.trim()],
    [1, bare.replace(/[#.][\w-]+/g, "").trim() || "*"],
  ];
  for (const [looseness, form] of forms) {
    let found = [];
    try {
      found = form ? [...document.querySelectorAll(form)].filter(shown) : [];
    } catch {
      continue;
    }
    if (found.length) return [looseness, last, [...new Set(found.slice(0, 300).map(written))]];
  }
  return [1, last, []];
}
