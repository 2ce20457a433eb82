// A label on the screen with the wanted text that is tied to no field on the
// screen (its `for` names no element, or a hidden one, and it wraps none: a
// broken page, common in real apps), with the field that follows it, which a
// reader takes for the field it names. Its text is matched as getByLabel matches: the whole of it when
// exact, else a part, ignoring case. null when there is none.
([wanted, exact]) => {
  const words = (text) => text.replace(/\s+/g, " ").trim();
  const matches = (text) =>
    exact ? words(text) === wanted : words(text).toLowerCase().includes(wanted.toLowerCase());
  const fields = "input:not([type=hidden]),select,textarea,[contenteditable]:not([contenteditable=false])";
  for (const label of document.querySelectorAll("label")) {
    if (!label.checkVisibility() || !matches(label.textContent)) continue;
    if (label.control?.checkVisibility()) continue;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT);
    walker.currentNode = label;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.matches(fields) && node.checkVisibility()) return {field: node, for: label.htmlFor, hidden: !!label.control};
    }
  }
  return {field: null};
}
