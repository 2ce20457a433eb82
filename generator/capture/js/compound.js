/* exported compound */
// An element written as a CSS compound selector: its tag, then its id, or else
// its classes (at most `most` of them).
const compound = (el, most = Infinity) => {
  if (el.id) return `${el.localName}#${CSS.escape(el.id)}`;
  return el.localName + [...el.classList].slice(0, most).map((c) => `.${CSS.escape(c)}`).join("");
};
