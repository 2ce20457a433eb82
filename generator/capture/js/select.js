(el, wanted) => {
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
    const at = wanted === null ? 0 : el.value.indexOf(wanted);
    if (at < 0) return false;
    el.focus();
    el.setSelectionRange(at, wanted === null ? el.value.length : at + wanted.length);
    return true;
  }
  const nodes = [];
  let text = "";
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    nodes.push([node, text.length]);
    text += node.data;
  }
  const at = wanted === null ? 0 : text.indexOf(wanted);
  if (at < 0 || !nodes.length) return false;
  const end = wanted === null ? text.length : at + wanted.length;
  const point = (offset, last) => {
    for (const [node, start] of nodes) {
      const stop = start + node.data.length;
      if (offset < stop || (last && offset === stop)) return [node, offset - start];
    }
    const [node] = nodes[nodes.length - 1];
    return [node, node.data.length];
  };
  const host = el.isContentEditable ? (el.closest("[contenteditable]") || el) : null;
  if (host) host.focus();
  const range = document.createRange();
  range.setStart(...point(at, false));
  range.setEnd(...point(end, true));
  const selection = getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  return true;
}
