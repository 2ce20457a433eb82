/* global compound */
// For each of several elements that one target matched, a CSS selector that
// finds that element and no other: its tag with its id or classes, then with
// one of its telling attributes (a link's href, a field's name), alone or
// after an ancestor's; else its place, child by child, under the nearest
// ancestor that a selector finds alone. null for an element in a shadow root.
(elements) => {
  // include: compound.js
  const written = (el) => compound(el, 3);
  const only = (selector, el) => {
    const found = document.querySelectorAll(selector);
    return found.length === 1 && found[0] === el;
  };
  const telling = ["href", "name", "aria-label", "title", "value"];
  // In single quotes where it can be, so the selector sits in YAML's double quotes as it is.
  const quoted = (value) =>
    value.includes("'") ? JSON.stringify(value) : `'${value.replaceAll("\\", "\\\\")}'`;
  const byName = (el) => [
    written(el),
    ...telling
      .filter((name) => el.hasAttribute(name))
      .map((name) => `${written(el)}[${name}=${quoted(el.getAttribute(name))}]`),
  ];
  const byPlace = (el) => {
    const steps = [];
    for (let node = el; node.parentElement; node = node.parentElement) {
      const parent = node.parentElement;
      const place = [...parent.children].filter((c) => c.localName === node.localName);
      steps.unshift(`${node.localName}:nth-of-type(${place.indexOf(node) + 1})`);
      const anchor = written(parent);
      if (parent === document.body || only(anchor, parent)) {
        return `${anchor} > ${steps.join(" > ")}`;
      }
    }
    return null;
  };
  return elements.map((el) => {
    if (el.getRootNode() !== document) return null;
    for (const own of byName(el)) {
      if (only(own, el)) return own;
      let up = el.parentElement;
      for (let depth = 0; up && up !== document.body && depth < 8; depth++) {
        const under = `${written(up)} ${own}`;
        if (only(under, el)) return under;
        up = up.parentElement;
      }
    }
    return byPlace(el);
  });
}
