({secrets, masked}) => {
  const patterns = secrets.map((secret) => new RegExp(secret.trim()
    .split(/\s+/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("\\s+")));
  const which = (text) => patterns.findIndex((pattern) => pattern.test(text));
  const covered = (node) => masked.some((m) => m && m.isConnected && m.contains(node));
  const shown = (el) => el.checkVisibility({opacityProperty: true, visibilityProperty: true});
  const name = (el) => {
    const testid = el.getAttribute("data-testid");
    const label = testid ? ` data-testid="${testid}"` : el.id ? ` id="${el.id}"` : "";
    return `<${el.tagName.toLowerCase()}${label}>`;
  };
  for (const field of document.querySelectorAll("input:not([type=hidden]),textarea,select")) {
    if (!shown(field) || covered(field) || field.type === "password") continue;
    const shows = field.tagName === "SELECT"
      ? [...field.selectedOptions].map((o) => o.label).join(" ")
      : field.value || field.placeholder || "";
    const index = which(shows);
    if (index >= 0) return [index, name(field)];
  }
  // The text of the screen in one string, hidden and masked text cut out.
  const parts = [], starts = [], parents = [];
  let length = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    const skip = !parent || parent.closest("script,style,template,select")
      || covered(node) || !shown(parent);
    const part = skip ? "\u0000" : node.data;
    parts.push(part); starts.push(length); parents.push(skip ? null : parent);
    length += part.length;
  }
  const text = parts.join("");
  for (let index = 0; index < patterns.length; index++) {
    const found = patterns[index].exec(text);
    if (!found) continue;
    let at = 0;
    while (at + 1 < starts.length && starts[at + 1] <= found.index) at++;
    return [index, parents[at] ? name(parents[at]) : "the page's text"];
  }
  return null;
}
