/* global onTop */
// For each of several elements that one target matched, whether another
// element is drawn over it (a dialog's backdrop over the page behind it):
// false when it is on top, and when that is not known (off the screen).
(elements) => {
  // include: on_top.js
  return elements.map((el) => {
    const top = onTop(el);
    return top !== null && top !== 'hidden' && top !== 'off the screen';
  });
}
