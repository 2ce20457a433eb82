/* exported compound */
// An element written as a CSS compound selector: its tag, then its id, or else
// its classes (at most `most` of them). Not the class names a build generates,
// which the app's next build changes: Svelte's (svelte-1cc11g6, svelte-xqzmbt),
// styled-jsx's (jsx-2031232157), and any other with a run of five or more
// letters and digits mixed, as Emotion's (css-1x2y3z4) and CSS modules'
// (title__3xYz1) have.
const compound = (el, most = Infinity) => {
  if (el.id) return `${el.localName}#${CSS.escape(el.id)}`;
  const generated = (name) =>
    /^(svelte|jsx)-/.test(name) ||
    name.split(/[-_]+/).some((part) => part.length >= 5 && /\d/.test(part) && /[a-z]/i.test(part));
  const kept = [...el.classList].filter((name) => !generated(name));
  return el.localName + kept.slice(0, most).map((c) => `.${CSS.escape(c)}`).join("");
};
