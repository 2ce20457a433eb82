// Inline SVG pictures: icons and product drawings. Everything is drawn here so
// the shop loads nothing from outside and renders the same on every machine.

const svg = (size, body, cls = '') =>
  `<svg class="${cls}" width="${size}" height="${size}" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${body}</svg>`;

const stroke = (d) =>
  `<path d="${d}" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/>`;

export const ICONS = {
  home: (s = 24) => svg(s, stroke('M3.5 10.5 12 3.5l8.5 7M5.5 9v11h5v-6h3v6h5V9')),
  account: (s = 24) =>
    svg(s, `<circle cx="12" cy="8" r="4" fill="none" stroke="currentColor" stroke-width="1.8"/>${stroke('M4 20.5c1.2-4 4.3-6 8-6s6.8 2 8 6')}`),
  cart: (s = 24) =>
    svg(s, `${stroke('M2.5 4h2.6l2.2 11h11.2l2-8H6.2')}<circle cx="9" cy="19.5" r="1.5" fill="currentColor"/><circle cx="17" cy="19.5" r="1.5" fill="currentColor"/>`),
  menu: (s = 24) => svg(s, stroke('M4 6.5h16M4 12h16M4 17.5h16')),
  back: (s = 24) => svg(s, stroke('M15 4.5 7.5 12l7.5 7.5')),
  arrowBack: (s = 24) => svg(s, stroke('M20 12H5M11 5l-7 7 7 7')),
  chevron: (s = 16) => svg(s, stroke('M9 5l7 7-7 7'), 'chev'),
  search: (s = 20) =>
    svg(s, `<circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" stroke-width="2"/>${stroke('M15.5 15.5 20.5 20.5')}`),
  box: (s = 24) => svg(s, stroke('M3.5 7.5 12 3l8.5 4.5v9L12 21l-8.5-4.5zM3.5 7.5 12 12l8.5-4.5M12 12v9')),
  gear: (s = 24) =>
    svg(s, `<circle cx="12" cy="12" r="3.2" fill="none" stroke="currentColor" stroke-width="1.8"/>${stroke('M12 2.8v2.6M12 18.6v2.6M21.2 12h-2.6M5.4 12H2.8M18.5 5.5l-1.8 1.8M7.3 16.7l-1.8 1.8M18.5 18.5l-1.8-1.8M7.3 7.3 5.5 5.5')}`),
  mail: (s = 24) => svg(s, stroke('M3.5 6h17v12h-17zM3.5 6.5 12 13l8.5-6.5')),
  check: (s = 24) => svg(s, stroke('M5 12.5 10 17.5 19 7')),
  info: (s = 20) =>
    svg(s, `<circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" stroke-width="1.8"/>${stroke('M12 11v6M12 7.5v.5')}`),
  chat: (s = 24) => svg(s, stroke('M4 5h16v11H9l-5 4z')),
  shield: (s = 24) => svg(s, stroke('M12 3 4.5 6v5.5c0 4.6 3.2 8.2 7.5 9.5 4.3-1.3 7.5-4.9 7.5-9.5V6zM8.5 12l2.5 2.5 4.5-5')),
  truck: (s = 24) => svg(s, stroke('M2.5 6h11v10h-11zM13.5 9.5h4l3 3.5v3h-7M6.5 18.5a1.8 1.8 0 1 0 0-.1M17 18.5a1.8 1.8 0 1 0 0-.1')),
  leaf: (s = 24) =>
    `<svg width="${s}" height="${s}" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 20c0-9 6-15 16-16-1 10-7 16-16 16z" fill="#f2c14e"/><path d="M4 20 14 10" stroke="#1b5e3b" stroke-width="1.8" stroke-linecap="round"/></svg>`,
};

// Product drawings on a 96x96 canvas with a soft background tile.
const PRODUCTS = {
  bookends: `<rect x="16" y="30" width="22" height="46" rx="2" fill="#8a5a3b"/><rect x="16" y="70" width="30" height="6" rx="1" fill="#6e4529"/>
    <rect x="58" y="30" width="22" height="46" rx="2" fill="#8a5a3b"/><rect x="50" y="70" width="30" height="6" rx="1" fill="#6e4529"/>
    <rect x="40" y="40" width="6" height="30" fill="#d9534f"/><rect x="46" y="36" width="5" height="34" fill="#3d7ea6"/><rect x="51" y="44" width="6" height="26" fill="#e0b13b"/>`,
  mug: `<path d="M26 32h36v34a10 10 0 0 1-10 10H36a10 10 0 0 1-10-10z" fill="#5d87a8"/><path d="M26 32h36v8H26z" fill="#e9eef2"/>
    <path d="M62 42h6a8 8 0 0 1 0 16h-6" fill="none" stroke="#5d87a8" stroke-width="6"/><ellipse cx="44" cy="32" rx="18" ry="3" fill="#c8d3dc"/>`,
  lamp: `<rect x="28" y="74" width="40" height="6" rx="3" fill="#3c4650"/><path d="M46 74 40 44 60 26" fill="none" stroke="#3c4650" stroke-width="4" stroke-linecap="round"/>
    <path d="M52 20 74 30 66 40z" fill="#f0b429"/><circle cx="66" cy="38" r="3" fill="#fff4c2"/>`,
  tote: `<path d="M36 34a12 12 0 0 1 24 0" fill="none" stroke="#7a6a4f" stroke-width="4"/><rect x="24" y="34" width="48" height="44" rx="4" fill="#d8c9a8"/>
    <rect x="24" y="52" width="48" height="8" fill="#2f6b4f"/><rect x="24" y="64" width="48" height="3" fill="#2f6b4f"/>`,
  plant: `<path d="M48 52c-10-6-14-16-10-26 8 4 12 14 10 26zM48 52c8-8 18-10 26-6-4 8-14 12-26 6z" fill="#3f8f5e"/><path d="M48 52c-8-2-18 0-22 6 8 4 18 2 22-6z" fill="#57a774"/>
    <path d="M32 56h32l-4 22H36z" fill="#c8734a"/>`,
  candle: `<rect x="34" y="40" width="28" height="38" rx="4" fill="#efe3cf"/><path d="M48 40v-6" stroke="#333" stroke-width="2"/><path d="M48 20c5 6 5 10 0 14-5-4-5-8 0-14z" fill="#f5a623"/>`,
};

export function productArt(name, size = 72) {
  const body = PRODUCTS[name] || PRODUCTS.tote;
  return `<svg class="product-art" width="${size}" height="${size}" viewBox="0 0 96 96" aria-hidden="true" focusable="false"><rect width="96" height="96" rx="12" fill="#f4f1ea"/>${body}</svg>`;
}
