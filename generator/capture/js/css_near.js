/* global compound */
// The visible elements that a looser form of a missing selector finds, each
// written as a selector of its own: its tag, its id or classes, and its values
// of the attributes the selector tested. The first form drops the selector's
// attribute tests and pseudo-classes, so what it finds has the selector's
// structure (a link whose href changed); the second drops ids and classes too,
// and finds any element (a class that was renamed). Returns the form's number
// (0 or 1), the selector's last compound (what names the element itself, which
// what was found is compared with) and what it found, bounded.
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
  const forms = [bare.trim(), bare.replace(/[#.][\w-]+/g, "").trim() || "*"];
  for (const [looseness, form] of forms.entries()) {
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
