/* global onTop, nameOf */
({marks}) => {
  // include: on_top.js
  const named = document.querySelector('[data-screen]');
  const screen = (named && named.getAttribute('data-screen')) || document.title
    || location.pathname;
  const OVERLAY = 'dialog[open],[role=dialog],[role=alertdialog],[role=menu],[role=listbox],'
    + '[aria-modal=true],[popover]';
  const overlays = [...document.querySelectorAll(OVERLAY)]
    .filter((el) => (!el.matches('[popover]') || el.matches(':popover-open'))
      && el.checkVisibility({opacityProperty: true, visibilityProperty: true}))
    .map(nameOf);
  return {screen, overlays, covered: marks.map(onTop)};
}
