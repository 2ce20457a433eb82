// Komorebi Market: a fictional marketplace used as the app under test.
//
// Rules that keep screenshots reproducible (see README.md):
// - every render runs synchronously inside the event that caused it, and sets
//   body[data-ready] to 'false' before and 'true' after;
// - "today" comes from the scenario, never from the clock;
// - state lives in sessionStorage and is reset when the scenario changes;
// - only the current look is rendered, so every data-testid exists once.

import { ICONS, productArt } from './art.js';
import { formatDate, STRINGS } from './i18n.js';

const STORAGE_KEY = 'komorebi-market-state';
const DEFAULT_SCENARIO = 'damaged-item';
const PLATFORMS = ['ios', 'android', 'web'];
const LANGS = ['ja', 'en'];
const GUARANTEE_DAYS = 14;
const FIRST_NEW_MESSAGE_ID = 9001;

// Decorative catalogue for the home screen and product search.
const CATALOG = [
  { art: 'tote', price: 2980, name: { ja: '帆布のトートバッグ', en: 'Canvas Tote Bag' } },
  { art: 'plant', price: 1880, name: { ja: 'ミニ観葉植物と素焼き鉢', en: 'Small Houseplant in Clay Pot' } },
  { art: 'candle', price: 1650, name: { ja: '蜜ろうキャンドル', en: 'Beeswax Candle' } },
  { art: 'mug', price: 2480, name: { ja: '手しごと陶器マグカップ', en: 'Handmade Ceramic Mug' } },
  { art: 'bookends', price: 3980, name: { ja: 'ウォールナットのブックエンド', en: 'Walnut Bookends' } },
  { art: 'lamp', price: 4580, name: { ja: 'LEDデスクライト', en: 'LED Desk Lamp' } },
];

const ctx = {
  platform: 'web',
  lang: 'ja',
  scenarioName: DEFAULT_SCENARIO,
  scenarios: {},
  scenario: null,
  S: STRINGS.ja,
  state: null,
};

// Transient form state that does not belong in the session (validation errors).
const ui = { claimError: false, claimReason: null };

// ---------------------------------------------------------------- helpers

const esc = (value) =>
  String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');

// Escaped text in which the given names (a seller's, a person's) never break
// across lines: a phrase breaker cannot know invented names such as 木工房あおば.
const escKeeping = (text, names) =>
  names.reduce(
    (html, name) => html.replaceAll(esc(name), `<span class="keep">${esc(name)}</span>`),
    esc(text),
  );

// Fixture text is either a plain string or {ja, en}.
const tr = (value) => (value && typeof value === 'object' ? value[ctx.lang] : value);

const dayNumber = (iso) => {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 86400000;
};
const daysBetween = (from, to) => dayNumber(to) - dayNumber(from);
const addDays = (iso, days) =>
  new Date((dayNumber(iso) + days) * 86400000).toISOString().slice(0, 10);

const date = (iso, withYear = true) => formatDate(iso, ctx.lang, withYear);
const isPhone = () => ctx.platform !== 'web';

function detectPlatform(ua) {
  if (/iPhone|iPad|iPod/.test(ua)) return 'ios';
  if (/Android/.test(ua)) return 'android';
  return 'web';
}

// ---------------------------------------------------------------- state

function freshState(name) {
  const scenario = ctx.scenarios[name];
  return {
    scenario: name,
    messages: structuredClone(scenario.messages),
    returns: structuredClone(scenario.returns),
    claims: structuredClone(scenario.claims),
    read: [],
    assistant: {},
    nextMessageId: FIRST_NEW_MESSAGE_ID,
  };
}

function loadState(name) {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || 'null');
    if (saved && saved.scenario === name) return saved;
  } catch {
    // A corrupt entry is treated like no entry.
  }
  const state = freshState(name);
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
  return state;
}

function save() {
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(ctx.state));
}

const orders = () => ctx.scenario.orders;
const findOrder = (id) => orders().find((o) => o.id === id);
const today = () => ctx.scenario.today;

function newMessage(fields) {
  const message = { id: String(ctx.state.nextMessageId), date: today(), ...fields };
  ctx.state.nextMessageId += 1;
  ctx.state.messages.push(message);
  return message;
}

// Where the buyer stands with a seller-sold order: what the order-problem
// screen says and whether the Marketplace Guarantee claim is offered.
// The guarantee's two weeks run from the buyer's first contact with the seller
// that is still unanswered: a message, or else the return request (which is
// sent to the seller as a message too).
function caseFor(order) {
  const mine = ctx.state.messages.filter((m) => m.orderId === order.id);
  const sent = mine.filter((m) => m.folder === 'sent');
  const replies = mine.filter((m) => m.folder === 'inbox');
  const ret = ctx.state.returns.find((r) => r.orderId === order.id) || null;
  const claim = ctx.state.claims.find((c) => c.orderId === order.id) || null;
  const lastReply = replies.map((m) => m.date).sort().at(-1) || null;
  const unanswered = sent.map((m) => m.date).filter((d) => lastReply === null || d > lastReply);
  if (ret && (lastReply === null || ret.date > lastReply)) unanswered.push(ret.date);
  const since = unanswered.sort()[0] || null;
  const daysWaited = since ? daysBetween(since, today()) : null;
  const until = since ? addDays(since, GUARANTEE_DAYS) : null;
  const claimable =
    order.fulfilment !== 'marketplace' &&
    since !== null &&
    daysWaited >= GUARANTEE_DAYS &&
    claim === null;
  return { sent, replies, ret, claim, since, daysWaited, until, claimable };
}

function subjectOf(message) {
  const { S } = ctx;
  if (message.subject) return tr(message.subject);
  const order = findOrder(message.orderId);
  const number = order ? order.number : '';
  if (message.topic === 'reply') return S.replySubject(number);
  const topic = message.topic === 'return' ? S.returnTopic : S.topics[message.topic];
  return S.subjectFor(topic, number);
}

function sortedMessages(folder) {
  const all = ctx.state.messages.filter((m) => {
    if (folder === 'buyer-seller') return m.folder === 'inbox';
    if (folder === 'sent') return m.folder === 'sent';
    return true;
  });
  return all.sort((a, b) =>
    a.date === b.date ? Number(b.id) - Number(a.id) : a.date < b.date ? 1 : -1,
  );
}

// ---------------------------------------------------------------- pieces

const tid = (id) => `data-testid="${esc(id)}"`;

function link(id, href, inner, cls = '', extra = '') {
  return `<a class="${cls}" href="${esc(href)}" ${tid(id)} ${extra}>${inner}</a>`;
}

function button(id, label, cls = 'btn', extra = '') {
  return `<button type="button" class="${cls}" ${tid(id)} ${extra}>${label}</button>`;
}

function productMini(order) {
  return `<div class="product-mini">${productArt(order.art, 48)}<div><p class="product-mini-name">${esc(tr(order.name))}</p><p class="muted small">${esc(ctx.S.orderNumber)} ${esc(order.number)}</p></div></div>`;
}

function deliveredLine(order) {
  return `<p class="status-line">${ICONS.check(18)}<span>${esc(ctx.S.deliveredOn(date(order.delivered, false)))}</span></p>`;
}

function emptyState(icon, title, text, action = '') {
  return `<div class="empty">${icon}<p class="empty-title">${esc(title)}</p><p class="muted">${esc(text)}</p>${action}</div>`;
}

// ---------------------------------------------------------------- breadcrumbs

function crumbs() {
  const { S } = ctx;
  return {
    home: { id: 'breadcrumb-home', href: '#/', label: S.home },
    account: { id: 'breadcrumb-account', href: '#/account', label: S.accountTitle },
    orders: { id: 'breadcrumb-orders', href: '#/orders', label: S.ordersTitle },
    services: { id: 'breadcrumb-services', href: '#/account/services', label: S.servicesTitle },
    messages: { id: 'breadcrumb-messages', href: '#/messages', label: S.messagesTitle },
    order: (id) => ({ id: 'breadcrumb-order', href: `#/orders/${id}`, label: S.orderDetailTitle }),
    problem: (id) => ({
      id: 'breadcrumb-problem',
      href: `#/orders/${id}/problem`,
      label: S.problemTitle,
    }),
  };
}

// ---------------------------------------------------------------- screens

function homeScreen() {
  const { S } = ctx;
  const cards = CATALOG.map(
    (p) =>
      `<li class="product-card">${productArt(p.art, isPhone() ? 96 : 120)}<p class="product-card-name">${esc(tr(p.name))}</p><p class="price">${esc(S.yen(p.price))}</p></li>`,
  ).join('');
  const body = `
    <section class="hero" aria-labelledby="hero-title">
      <p class="hero-kicker">${ICONS.leaf(18)} ${esc(S.brand)}</p>
      <h2 id="hero-title" class="hero-title">${esc(S.homeHeroTitle)}</h2>
      <p class="hero-text">${esc(S.homeHeroText)}</p>
    </section>
    <section aria-labelledby="rec-title">
      <h2 id="rec-title" class="section-title">${esc(S.homeRecommended)}</h2>
      <ul class="product-grid">${cards}</ul>
    </section>`;
  return { screen: 'home', title: S.home, tab: 'home', crumbs: [], body, homeSearch: true };
}

function searchScreen(q) {
  const { S } = ctx;
  const query = (q.get('q') || '').trim();
  const needle = query.toLowerCase();
  // Either language's name matches, so a search typed in English works on the Japanese site.
  const hits = CATALOG.filter((p) =>
    Object.values(p.name).some((name) => name.toLowerCase().includes(needle)),
  );
  const cards = hits
    .map(
      (p) =>
        `<li class="product-card">${productArt(p.art, 96)}<p class="product-card-name">${esc(tr(p.name))}</p><p class="price">${esc(S.yen(p.price))}</p></li>`,
    )
    .join('');
  const body = hits.length
    ? `<p class="muted" ${tid('search-count')}>${esc(S.searchCount(query, hits.length))}</p><ul class="product-grid">${cards}</ul>`
    : emptyState(ICONS.search(40), S.searchResults, S.searchNone(query));
  return {
    screen: 'search-results',
    title: S.searchResults,
    tab: 'home',
    crumbs: [crumbs().home],
    body,
    homeSearch: true,
    searchValue: query,
  };
}

function accountScreen() {
  const { S } = ctx;
  const user = ctx.scenario.user;
  const recent = orders()
    .map((o) =>
      link(
        `recent-order-${o.id}`,
        `#/orders/${o.id}`,
        `${productArt(o.art, 72)}<span class="sr-only">${esc(tr(o.name))}</span>`,
        'recent-order',
      ),
    )
    .join('');
  const body = `
    <div class="greeting"><span class="avatar" aria-hidden="true">${esc(tr(user.given).slice(0, 1))}</span>
      <p class="greeting-text">${esc(S.hello(tr(user.given)))}</p></div>
    <div class="account-tiles">
      ${link('order-history', '#/orders', `${ICONS.box(28)}<span class="tile-title">${esc(S.orderHistory)}</span><span class="tile-text">${esc(S.orderHistoryText)}</span>`, 'tile')}
      ${link('account-services', '#/account/services', `${ICONS.gear(28)}<span class="tile-title">${esc(S.accountServices)}</span><span class="tile-text">${esc(S.accountServicesText)}</span>`, 'tile')}
    </div>
    <section aria-labelledby="recent-title">
      <h2 id="recent-title" class="section-title">${esc(S.recentOrders)}</h2>
      <div class="recent-orders">${recent}</div>
    </section>`;
  return { screen: 'account', title: S.accountTitle, tab: 'account', crumbs: [crumbs().home], body };
}

function servicesScreen() {
  const { S } = ctx;
  const row = (id, href, label, sub = '') =>
    `<li>${link(id, href, `<span class="row-main"><span class="row-title">${esc(label)}</span>${sub ? `<span class="row-sub">${esc(sub)}</span>` : ''}</span>${ICONS.chevron()}`, 'row')}</li>`;
  const placeholder = (key) =>
    row(`service-${key}`, `#/account/services/${key}`, S[SERVICE_LABELS[key]]);
  const section = (id, title, rows) =>
    `<section class="group" aria-labelledby="${id}"><h2 id="${id}" class="group-title">${esc(title)}</h2><ul class="list">${rows}</ul></section>`;
  const body = `<div class="services">
    ${section('sec-orders', S.secOrders, row('service-orders', '#/orders', S.svcOrders) + placeholder('buy-again'))}
    ${section('sec-payment', S.secPayment, placeholder('payments') + placeholder('gift-cards'))}
    ${section('sec-settings', S.secSettings, placeholder('security') + placeholder('addresses') + placeholder('profile') + placeholder('email'))}
    ${section('sec-messages', S.secMessageCenter, row('messages', '#/messages', S.svcMessages, S.svcMessagesText) + placeholder('notifications'))}
  </div>`;
  const c = crumbs();
  return {
    screen: 'account-services',
    title: S.servicesTitle,
    tab: 'account',
    crumbs: [c.account],
    body,
  };
}

// The account-service rows that lead to a placeholder, by route key.
const SERVICE_LABELS = {
  'buy-again': 'svcBuyAgain',
  payments: 'svcPayments',
  'gift-cards': 'svcGiftCards',
  security: 'svcSecurity',
  addresses: 'svcAddresses',
  profile: 'svcProfile',
  email: 'svcEmailPrefs',
  notifications: 'svcNotices',
};

function placeholderScreen(key) {
  const { S } = ctx;
  const c = crumbs();
  const body = emptyState(
    ICONS.info(40),
    S.placeholderTitle,
    S.placeholderText,
    link('placeholder-back', '#/account/services', esc(S.backToServices), 'btn btn-secondary'),
  );
  return {
    screen: 'service-placeholder',
    title: S.servicesTitle,
    tab: 'account',
    crumbs: [c.account, c.services],
    current: S[SERVICE_LABELS[key]],
    body,
  };
}

function orderMatches(order, needle) {
  if (!needle) return true;
  const hay = [tr(order.name), tr(order.seller), order.number].join(' ').toLowerCase();
  return hay.includes(needle.toLowerCase());
}

function orderItems(needle) {
  const { S } = ctx;
  const list = orders().filter((o) => orderMatches(o, needle));
  if (!list.length) {
    return `<p class="muted none" ${tid('order-search-empty')}>${esc(S.orderSearchNone(needle))}</p>`;
  }
  if (isPhone()) {
    return `<ul class="list order-list">${list
      .map(
        (o) =>
          `<li>${link(`order-${o.id}`, `#/orders/${o.id}`, `${productArt(o.art, 64)}<span class="row-main"><span class="row-title clamp">${esc(tr(o.name))}</span><span class="row-sub ok">${esc(S.deliveredOn(date(o.delivered, false)))}</span></span>${ICONS.chevron()}`, 'row order-row')}</li>`,
      )
      .join('')}</ul>`;
  }
  const user = ctx.scenario.user;
  return `<ul class="order-cards">${list
    .map(
      (o) => `<li class="order-card">
        <div class="order-card-head">
          <div><span class="label">${esc(S.orderedOn)}</span><span>${esc(date(o.ordered))}</span></div>
          <div><span class="label">${esc(S.orderTotal)}</span><span>${esc(S.yen(o.price * o.quantity))}</span></div>
          <div><span class="label">${esc(S.shipTo)}</span><span>${esc(tr(user.name))}</span></div>
          <div class="order-card-number"><span class="label">${esc(S.orderNumber)}</span><span>${esc(o.number)}</span></div>
        </div>
        <div class="order-card-body">
          <div class="order-card-item">${productArt(o.art, 88)}<div>
            <p class="status-strong">${esc(S.deliveredOn(date(o.delivered, false)))}</p>
            ${link(`order-${o.id}`, `#/orders/${o.id}`, esc(tr(o.name)), 'product-link')}
            <p class="muted small">${esc(S.soldBy)}: ${esc(tr(o.seller))}</p></div></div>
          <div class="order-card-actions">${link(`order-problem-${o.id}`, `#/orders/${o.id}/problem`, esc(S.orderProblem), 'btn btn-secondary')}</div>
        </div></li>`,
    )
    .join('')}</ul>`;
}

function ordersScreen(q) {
  const { S } = ctx;
  const needle = (q.get('q') || '').trim();
  const body = `
    <form class="search-form order-search" role="search" data-form="order-search">
      <label class="sr-only" for="order-search-input">${esc(S.orderSearchLabel)}</label>
      <span class="search-icon">${ICONS.search(18)}</span>
      <input id="order-search-input" type="search" ${tid('order-search-input')} value="${esc(needle)}" placeholder="${esc(S.orderSearchPlaceholder)}" autocomplete="off">
      <button type="submit" class="btn btn-small" ${tid('order-search-submit')}>${esc(S.orderSearchButton)}</button>
    </form>
    <div id="order-results">${orderItems(needle)}</div>`;
  return {
    screen: 'order-list',
    title: S.ordersTitle,
    tab: 'account',
    crumbs: [crumbs().account],
    body,
  };
}

function orderDetailScreen(order) {
  const { S } = ctx;
  const user = ctx.scenario.user;
  const bySeller = order.fulfilment !== 'marketplace';
  const problem = bySeller
    ? `<p class="muted">${esc(S.problemSectionText)}</p>${link('contact-seller', `#/orders/${order.id}/contact`, `${ICONS.chat(20)}<span>${esc(S.contactSeller)}</span>`, 'btn btn-primary btn-block')}`
    : `<p class="muted">${esc(S.problemSectionMarketplace)}</p>${link('contact-support', `#/orders/${order.id}/support`, `${ICONS.chat(20)}<span>${esc(S.contactSupport)}</span>`, 'btn btn-primary btn-block')}`;
  const shipment = `<section class="card" aria-label="${esc(S.delivered)}">
      ${deliveredLine(order)}
      <div class="item">${productArt(order.art, 72)}<div class="item-text">
        <p class="item-name">${esc(tr(order.name))}</p>
        <p class="muted small">${esc(S.quantity(order.quantity))} · <span class="price">${esc(S.yen(order.price))}</span></p>
      </div></div>
      <dl class="facts">
        <div><dt>${esc(S.soldBy)}</dt><dd ${tid('order-sold-by')}>${esc(tr(order.seller))}</dd></div>
        <div><dt>${esc(S.shippedBy)}</dt><dd ${tid('order-shipped-by')}>${esc(tr(order.shipper))}</dd></div>
      </dl>
      <p class="badge badge-${esc(order.fulfilment)}" ${tid('order-fulfilment')}>${ICONS.truck(16)}<span>${esc(S.fulfilment[order.fulfilment])}</span></p>
      ${order.fulfilment === 'seller' ? `<p class="muted small">${esc(S.sellerNote)}</p>` : ''}
      ${link('order-problem', `#/orders/${order.id}/problem`, esc(S.orderProblem), 'btn btn-secondary btn-block')}
    </section>`;
  const help = `<section class="card problem-box" aria-labelledby="problem-title">
      <h2 id="problem-title" class="card-title">${esc(S.problemSection)}</h2>${problem}</section>`;
  const summary = `<section class="card" aria-labelledby="summary-title">
      <h2 id="summary-title" class="card-title">${esc(S.orderSummary)}</h2>
      <dl class="facts">
        <div><dt>${esc(S.orderedOn)}</dt><dd>${esc(date(order.ordered))}</dd></div>
        <div><dt>${esc(S.orderNumber)}</dt><dd>${esc(order.number)}</dd></div>
        <div><dt>${esc(S.orderTotal)}</dt><dd>${esc(S.yen(order.price * order.quantity))}</dd></div>
        <div><dt>${esc(S.shipTo)}</dt><dd>${esc(tr(user.name))}<br>${esc(tr(user.address))}</dd></div>
      </dl></section>`;
  const body = isPhone()
    ? `${shipment}${help}${summary}`
    : `<div class="two-col"><div>${shipment}${help}</div><div>${summary}</div></div>`;
  const c = crumbs();
  return {
    screen: 'order-detail',
    title: S.orderDetailTitle,
    tab: 'account',
    crumbs: [c.account, c.orders],
    body,
  };
}

function supportScreen(order) {
  const { S } = ctx;
  const c = crumbs();
  const body = `${productMini(order)}<section class="card"><p>${esc(S.supportText)}</p>
    ${link('support-problem', `#/orders/${order.id}/problem`, esc(S.orderProblem), 'btn btn-primary btn-block')}</section>`;
  return {
    screen: 'customer-service',
    title: S.supportTitle,
    tab: 'account',
    crumbs: [c.account, c.orders, c.order(order.id)],
    body,
  };
}

function bubble(who, html, extra = '') {
  const { S } = ctx;
  const name = who === 'bot' ? S.assistantBot : S.assistantYou;
  const avatar = who === 'bot' ? `<span class="bot-avatar" aria-hidden="true">${ICONS.leaf(18)}</span>` : '';
  return `<div class="msg msg-${who}" ${extra}>${avatar}<div class="bubble"><span class="sr-only">${esc(name)}: </span>${html}</div></div>`;
}

function assistantScreen(order) {
  const { S } = ctx;
  const seller = tr(order.seller);
  const a = ctx.state.assistant[order.id] || { step: 'choose' };
  const parts = [
    bubble(
      'bot',
      escKeeping(S.assistantGreeting(tr(ctx.scenario.user.given), tr(order.name), seller), [
        seller,
      ]),
    ),
    bubble('bot', esc(S.assistantAsk)),
  ];
  let tail = '';
  if (a.step === 'choose') {
    const chips = Object.entries(S.topics)
      .map(([key, label]) =>
        button(`assistant-choice-${key}`, esc(label), 'chip', `data-action="assistant-choice" data-topic="${key}"`),
      )
      .join('');
    tail = `<div class="chips" role="group" aria-label="${esc(S.assistantChoicesLabel)}">${chips}</div>`;
  } else {
    parts.push(bubble('you', esc(S.topics[a.topic])));
    parts.push(bubble('bot', esc(S.assistantAskDetails)));
    if (a.step === 'write') {
      tail = `<form class="composer" data-form="assistant" data-order="${esc(order.id)}">
        <label for="assistant-message-input" class="composer-label">${esc(S.assistantInputLabel)}</label>
        <textarea id="assistant-message-input" rows="2" ${tid('assistant-message-input')} placeholder="${esc(S.assistantInputPlaceholder)}" ${a.error ? 'aria-invalid="true" aria-describedby="assistant-error"' : ''}></textarea>
        ${a.error ? `<p id="assistant-error" class="error" role="alert" ${tid('assistant-error')}>${esc(S.assistantEmpty)}</p>` : ''}
        <button type="submit" class="btn btn-primary btn-block" ${tid('assistant-send')}>${esc(S.assistantSend)}</button>
      </form>`;
    } else {
      const sent = ctx.state.messages.find((m) => m.id === a.messageId);
      parts.push(bubble('you', esc(sent ? sent.body : '')));
      parts.push(
        bubble('bot', escKeeping(S.assistantSent(seller), [seller]), tid('assistant-confirmation')),
      );
      tail = `<div class="stack">
        ${link('assistant-view-messages', '#/messages/sent', esc(S.assistantViewSent), 'btn btn-primary btn-block')}
        ${link('assistant-done', `#/orders/${order.id}`, esc(S.assistantDone), 'btn btn-secondary btn-block')}</div>`;
    }
  }
  const body = `<div class="chat-head">${productArt(order.art, 40)}<div><p class="chat-to">${esc(S.assistantTo(seller))}</p><p class="muted small clamp1">${esc(tr(order.name))}</p></div></div>
    <div class="chat" role="log" aria-label="${esc(S.assistantTitle)}">${parts.join('')}</div>${tail}`;
  const c = crumbs();
  return {
    screen: 'message-assistant',
    title: S.assistantTitle,
    tab: 'account',
    crumbs: [c.account, c.orders, c.order(order.id)],
    body,
    // Keep the newest bubble and the controls in view, as chat apps do.
    scrollToEnd: a.step !== 'choose',
  };
}

function messagesScreen(folder) {
  const { S } = ctx;
  const tabs = [
    ['all', S.folderAll, '#/messages'],
    ['buyer-seller', S.folderBuyerSeller, '#/messages/buyer-seller'],
    ['sent', S.folderSent, '#/messages/sent'],
  ]
    .map(
      ([key, label, href]) =>
        `<button type="button" role="tab" class="tab" id="tab-${key}" aria-selected="${key === folder}" aria-controls="message-panel" tabindex="${key === folder ? 0 : -1}" data-action="go" data-href="${href}" ${tid(`messages-tab-${key}`)}>${esc(label)}</button>`,
    )
    .join('');
  const list = sortedMessages(folder);
  const rows = list
    .map((m) => {
      const order = findOrder(m.orderId);
      const seller = order ? tr(order.seller) : ctx.S.brand;
      const who =
        m.folder === 'sent' ? `${S.toLabel}: ${seller}` : m.folder === 'inbox' ? seller : S.brand;
      const unread = m.folder !== 'sent' && !ctx.state.read.includes(m.id);
      const snippet = tr(m.body).replace(/\s+/g, ' ');
      return `<li>${link(
        `message-${m.id}`,
        `#/messages/view/${m.id}`,
        `<span class="msg-row-top"><span class="msg-who">${unread ? `<span class="dot"></span><span class="sr-only">${esc(S.unread)} </span>` : ''}${esc(who)}</span><span class="muted small">${esc(date(m.date, false))}</span></span>
         <span class="msg-subject">${esc(subjectOf(m))}</span><span class="msg-snippet muted">${esc(snippet)}</span>`,
        'row msg-row',
      )}</li>`;
    })
    .join('');
  const panel = list.length
    ? `<ul class="list">${rows}</ul>`
    : emptyState(ICONS.mail(40), S.noMessages, S.noMessagesText);
  const body = `<div class="tabs" role="tablist" aria-label="${esc(S.messageFolders)}">${tabs}</div>
    <div id="message-panel" role="tabpanel" aria-labelledby="tab-${folder}" ${tid('message-list')}>${panel}</div>`;
  const c = crumbs();
  return {
    screen: 'message-list',
    title: S.messagesTitle,
    tab: 'account',
    crumbs: [c.account, c.services],
    body,
  };
}

function messageDetailScreen(message) {
  const { S } = ctx;
  const order = findOrder(message.orderId);
  const seller = order ? tr(order.seller) : S.brand;
  const me = S.you(tr(ctx.scenario.user.name));
  const from = message.folder === 'sent' ? me : message.folder === 'inbox' ? seller : S.brand;
  const to = message.folder === 'sent' ? seller : me;
  if (!ctx.state.read.includes(message.id)) {
    ctx.state.read.push(message.id);
    save();
  }
  const body = `<article class="card message">
      <h2 class="card-title" ${tid('message-subject')}>${esc(subjectOf(message))}</h2>
      <dl class="facts">
        <div><dt>${esc(S.fromLabel)}</dt><dd ${tid('message-from')}>${esc(from)}</dd></div>
        <div><dt>${esc(S.toLabel)}</dt><dd>${esc(to)}</dd></div>
        <div><dt>${esc(S.dateLabel)}</dt><dd>${esc(date(message.date))}${message.time ? ` ${esc(message.time)}` : ''}</dd></div>
        ${order ? `<div><dt>${esc(S.orderLabel)}</dt><dd>${esc(order.number)}</dd></div>` : ''}
      </dl>
      <p class="message-body" ${tid('message-body')}>${esc(tr(message.body))}</p>
      ${order ? link('message-order-link', `#/orders/${order.id}`, esc(S.viewOrderLink), 'btn btn-secondary btn-block') : ''}
    </article>`;
  const c = crumbs();
  return {
    screen: 'message-detail',
    title: S.messageDetailTitle,
    tab: 'account',
    crumbs: [c.account, c.services, c.messages],
    // The title repeats the parent's name (メッセージ), so the trail ends with the subject.
    current: subjectOf(message),
    body,
  };
}

function problemScreen(order) {
  const { S } = ctx;
  const rows = Object.entries(S.reasons)
    .map(
      ([key, label]) =>
        `<li>${link(`problem-reason-${key}`, `#/orders/${order.id}/problem/${key}`, `<span class="row-main"><span class="row-title">${esc(label)}</span></span>${ICONS.chevron()}`, 'row')}</li>`,
    )
    .join('');
  const body = `${productMini(order)}
    <section class="group" aria-labelledby="ask-title"><h2 id="ask-title" class="group-title">${esc(S.problemAsk)}</h2>
    <p class="muted small pad">${esc(S.problemAskText)}</p><ul class="list">${rows}</ul></section>`;
  const c = crumbs();
  return {
    screen: 'order-problem',
    title: S.problemTitle,
    tab: 'account',
    crumbs: [c.account, c.orders, c.order(order.id)],
    body,
  };
}

function problemOptionsScreen(order, reason) {
  const { S } = ctx;
  const k = caseFor(order);
  let status;
  let note = '';
  const left = GUARANTEE_DAYS - k.daysWaited;
  if (k.claim) status = S.statusClaimed(k.claim.number);
  else if (order.fulfilment === 'marketplace') status = S.statusMarketplace;
  else if (k.since && k.ret && k.ret.date >= k.since) {
    const requested = date(k.ret.date, false);
    status = k.claimable
      ? S.statusReturnOverdue(requested, daysBetween(k.ret.date, today()))
      : S.statusReturnWaiting(requested, date(k.until, false), left);
  } else if (k.since) {
    const contacted = date(k.since, false);
    status = k.claimable
      ? S.statusContactOverdue(contacted, k.daysWaited)
      : S.statusContacted(contacted, date(k.until, false), left);
  } else if (k.replies.length) status = S.statusReplied;
  else {
    status = S.statusNone;
    note = S.statusNoneNote;
  }
  const returnHref = k.ret
    ? `#/orders/${order.id}/return/done`
    : `#/orders/${order.id}/return?reason=${reason}`;
  const options = [
    order.fulfilment !== 'marketplace'
      ? link('problem-contact-seller', `#/orders/${order.id}/contact`, `${ICONS.chat(20)}<span>${esc(S.contactSeller)}</span>`, 'btn btn-secondary btn-block')
      : '',
    link('problem-return-request', returnHref, `${ICONS.box(20)}<span>${esc(S.returnRequest)}</span>`, 'btn btn-secondary btn-block'),
    k.claimable
      ? link('problem-file-claim', `#/orders/${order.id}/claim`, `${ICONS.shield(20)}<span>${esc(S.fileClaim)}</span>`, 'btn btn-primary btn-block')
      : '',
  ].join('');
  const body = `${productMini(order)}
    <p class="reason-line"><span class="muted">${esc(S.selectedReason)}:</span> <strong ${tid('problem-selected-reason')}>${esc(S.reasons[reason])}</strong></p>
    <div class="notice" ${tid('problem-status')}>${ICONS.info(20)}<div><p>${esc(status)}</p>${note ? `<p class="muted small">${esc(note)}</p>` : ''}</div></div>
    <section aria-labelledby="options-title"><h2 id="options-title" class="section-title">${esc(S.optionsLabel)}</h2>
    <div class="stack">${options}</div></section>`;
  const c = crumbs();
  return {
    screen: 'problem-options',
    title: S.problemTitle,
    tab: 'account',
    crumbs: [c.account, c.orders, c.order(order.id), c.problem(order.id)],
    // The title repeats the parent's name, so the trail ends with the chosen reason.
    current: S.reasons[reason],
    body,
  };
}

function reasonOptions(selected) {
  return Object.entries(ctx.S.reasons)
    .map(
      ([key, label]) =>
        `<option value="${key}" ${key === selected ? 'selected' : ''}>${esc(label)}</option>`,
    )
    .join('');
}

function returnScreen(order, q) {
  const { S } = ctx;
  const k = caseFor(order);
  if (k.ret) return returnDoneScreen(order);
  const reason = S.reasons[q.get('reason')] ? q.get('reason') : 'missing-parts';
  const body = `${productMini(order)}
    <form class="card form" data-form="return" data-order="${esc(order.id)}">
      <p>${escKeeping(S.returnIntro(tr(order.seller)), [tr(order.seller)])}</p>
      <label for="return-reason">${esc(S.returnReasonLabel)}</label>
      <select id="return-reason" ${tid('return-reason')}>${reasonOptions(reason)}</select>
      <label for="return-comment">${esc(S.returnCommentLabel)}</label>
      <textarea id="return-comment" rows="3" ${tid('return-comment')} placeholder="${esc(S.returnCommentPlaceholder)}"></textarea>
      <button type="submit" class="btn btn-primary btn-block" ${tid('return-submit')}>${esc(S.returnSubmit)}</button>
    </form>`;
  const c = crumbs();
  return {
    screen: 'return-request',
    title: S.returnTitle,
    tab: 'account',
    crumbs: [c.account, c.orders, c.order(order.id)],
    body,
  };
}

function returnDoneScreen(order) {
  const { S } = ctx;
  const k = caseFor(order);
  if (!k.ret) return returnScreen(order, new URLSearchParams());
  const until = k.until || addDays(k.ret.date, GUARANTEE_DAYS);
  const body = `<div class="done" ${tid('return-confirmation')}>
      <span class="done-icon">${ICONS.check(32)}</span>
      <h2 class="done-title">${esc(S.returnDoneTitle)}</h2>
      <p>${escKeeping(S.returnDoneText(tr(order.seller)), [tr(order.seller)])}</p></div>
    <section class="card"><dl class="facts">
      <div><dt>${esc(S.returnRequestedOn)}</dt><dd>${esc(date(k.ret.date))}</dd></div>
      <div><dt>${esc(S.returnReasonLabel)}</dt><dd>${esc(S.reasons[k.ret.reason] || '')}</dd></div>
      <div><dt>${esc(S.orderNumber)}</dt><dd>${esc(order.number)}</dd></div></dl>
      ${order.fulfilment !== 'marketplace' ? `<p class="muted small">${esc(S.returnGuaranteeNote(date(until)))}</p>` : ''}</section>
    ${link('return-done', `#/orders/${order.id}`, esc(S.returnBack), 'btn btn-secondary btn-block')}`;
  const c = crumbs();
  return {
    screen: 'return-confirmation',
    title: S.returnTitle,
    tab: 'account',
    crumbs: [c.account, c.orders, c.order(order.id)],
    body,
  };
}

function claimScreen(order) {
  const { S } = ctx;
  const k = caseFor(order);
  const c = crumbs();
  const frame = (body) => ({
    screen: 'claim-form',
    title: S.claimTitle,
    tab: 'account',
    crumbs: [c.account, c.orders, c.order(order.id)],
    body,
  });
  if (k.claim) return claimDoneScreen(order);
  if (!k.claimable) {
    return frame(
      `${productMini(order)}<div class="notice" ${tid('claim-not-eligible')}>${ICONS.info(20)}<p>${esc(S.claimNotEligible)}</p></div>
      ${link('claim-done', `#/orders/${order.id}`, esc(S.claimBack), 'btn btn-secondary btn-block')}`,
    );
  }
  const reason = ui.claimReason || (k.ret && k.ret.reason) || 'missing-parts';
  return frame(`${productMini(order)}
    <form class="card form" data-form="claim" data-order="${esc(order.id)}" novalidate>
      <p>${esc(S.claimIntro)}</p>
      <dl class="facts"><div><dt>${esc(S.claimAmount)}</dt><dd class="price">${esc(S.yen(order.price * order.quantity))}</dd></div>
      <div><dt>${esc(S.soldBy)}</dt><dd>${esc(tr(order.seller))}</dd></div></dl>
      <label for="claim-reason">${esc(S.claimReasonLabel)}</label>
      <select id="claim-reason" ${tid('claim-reason')}>${reasonOptions(reason)}</select>
      <label for="claim-details">${esc(S.claimDetailsLabel)}</label>
      <textarea id="claim-details" rows="3" ${tid('claim-details')} placeholder="${esc(S.claimDetailsPlaceholder)}" ${ui.claimError ? 'aria-invalid="true" aria-describedby="claim-error"' : ''}></textarea>
      ${ui.claimError ? `<p id="claim-error" class="error" role="alert" ${tid('claim-error')}>${esc(S.claimDetailsMissing)}</p>` : ''}
      <button type="submit" class="btn btn-primary btn-block" ${tid('claim-submit')}>${esc(S.claimSubmit)}</button>
    </form>`);
}

function claimDoneScreen(order) {
  const { S } = ctx;
  const k = caseFor(order);
  if (!k.claim) return claimScreen(order);
  const body = `<div class="done" ${tid('claim-confirmation')}>
      <span class="done-icon">${ICONS.shield(32)}</span>
      <h2 class="done-title">${esc(S.claimDoneTitle)}</h2>
      <p>${esc(S.claimDoneText)}</p></div>
    <section class="card"><dl class="facts">
      <div><dt>${esc(S.claimNumber)}</dt><dd ${tid('claim-number')}>${esc(k.claim.number)}</dd></div>
      <div><dt>${esc(S.claimAmount)}</dt><dd>${esc(S.yen(order.price * order.quantity))}</dd></div>
      <div><dt>${esc(S.orderNumber)}</dt><dd>${esc(order.number)}</dd></div></dl></section>
    ${link('claim-done', `#/orders/${order.id}`, esc(S.claimBack), 'btn btn-secondary btn-block')}`;
  const c = crumbs();
  return {
    screen: 'claim-confirmation',
    title: S.claimTitle,
    tab: 'account',
    crumbs: [c.account, c.orders, c.order(order.id)],
    body,
  };
}

function cartScreen() {
  const { S } = ctx;
  const body = emptyState(
    ICONS.cart(44),
    S.cartEmpty,
    S.cartEmptyText,
    link('cart-continue', '#/', esc(S.cartContinue), 'btn btn-primary'),
  );
  return { screen: 'cart', title: S.cartTitle, tab: 'cart', crumbs: [crumbs().home], body };
}

function menuScreen() {
  const { S } = ctx;
  const langLink = (code, label) => {
    const href = `?platform=${ctx.platform}&lang=${code}&scenario=${encodeURIComponent(ctx.scenarioName)}#/menu`;
    const current = code === ctx.lang;
    return `<li><a class="row" href="${esc(href)}" lang="${code}" ${tid(`lang-${code}`)} ${current ? 'aria-current="true"' : ''}><span class="row-main"><span class="row-title">${esc(label)}</span></span>${current ? ICONS.check(20) : ''}</a></li>`;
  };
  const body = `<section class="group" aria-labelledby="lang-title"><h2 id="lang-title" class="group-title">${esc(S.language)}</h2>
      <ul class="list">${langLink('ja', S.japanese)}${langLink('en', S.english)}</ul></section>
    <section class="group" aria-labelledby="about-title"><h2 id="about-title" class="group-title">${esc(S.aboutDemo)}</h2>
      <p class="card">${esc(S.aboutDemoText)}</p></section>`;
  return { screen: 'menu', title: S.menuTitle, tab: 'menu', crumbs: [crumbs().home], body };
}

function notFoundScreen() {
  const { S } = ctx;
  const body = emptyState(
    ICONS.info(40),
    'Not found',
    location.hash,
    link('not-found-home', '#/', esc(S.home), 'btn btn-primary'),
  );
  return { screen: 'not-found', title: S.brand, tab: 'home', crumbs: [crumbs().home], body };
}

function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = hash.split('?');
  const p = path.split('/').filter(Boolean);
  const q = new URLSearchParams(query);
  if (p.length === 0) return homeScreen();
  if (p[0] === 'search' && p.length === 1) return searchScreen(q);
  if (p[0] === 'cart' && p.length === 1) return cartScreen();
  if (p[0] === 'menu' && p.length === 1) return menuScreen();
  if (p[0] === 'account') {
    if (p.length === 1) return accountScreen();
    if (p[1] === 'services' && p.length === 2) return servicesScreen();
    if (p[1] === 'services' && p.length === 3) return placeholderScreen(p[2]);
  }
  if (p[0] === 'orders') {
    if (p.length === 1) return ordersScreen(q);
    const order = findOrder(p[1]);
    if (order) {
      const rest = p.slice(2).join('/');
      if (rest === '') return orderDetailScreen(order);
      if (rest === 'contact' && order.fulfilment !== 'marketplace') return assistantScreen(order);
      if (rest === 'support') return supportScreen(order);
      if (rest === 'problem') return problemScreen(order);
      if (p[2] === 'problem' && p.length === 4 && ctx.S.reasons[p[3]]) {
        return problemOptionsScreen(order, p[3]);
      }
      if (rest === 'return') return returnScreen(order, q);
      if (rest === 'return/done') return returnDoneScreen(order);
      if (rest === 'claim') return claimScreen(order);
      if (rest === 'claim/done') return claimDoneScreen(order);
    }
  }
  if (p[0] === 'messages') {
    if (p.length === 1) return messagesScreen('all');
    if (p.length === 2 && (p[1] === 'buyer-seller' || p[1] === 'sent')) return messagesScreen(p[1]);
    if (p.length === 3 && p[1] === 'view') {
      const message = ctx.state.messages.find((m) => m.id === p[2]);
      if (message) return messageDetailScreen(message);
    }
  }
  return notFoundScreen();
}

// ---------------------------------------------------------------- chrome

const TABS = [
  ['home', '#/', 'home'],
  ['account', '#/account', 'account'],
  ['cart', '#/cart', 'cart'],
  ['menu', '#/menu', 'menu'],
];

function tabBar(active) {
  const { S } = ctx;
  const items = TABS.map(([key, href, icon]) => {
    const current = key === active;
    return `<li>${link(`tab-${key}`, href, `<span class="tab-icon">${ICONS[icon](24)}</span><span class="tab-label">${esc(S[key])}</span>`, `tabbar-item${current ? ' active' : ''}`, current ? 'aria-current="page"' : '')}</li>`;
  }).join('');
  return `<nav class="tabbar" aria-label="${esc(S.tabsLabel)}"><ul>${items}</ul></nav>`;
}

function siteSearch(value = '') {
  const { S } = ctx;
  return `<form class="search-form site-search" role="search" data-form="site-search">
      <label class="sr-only" for="header-search-input">${esc(S.searchSiteLabel)}</label>
      <input id="header-search-input" type="search" ${tid('header-search-input')} value="${esc(value)}" placeholder="${esc(S.searchSite)}" autocomplete="off">
      <button type="submit" class="search-submit" ${tid('header-search-submit')} aria-label="${esc(S.searchButton)}">${ICONS.search(20)}</button>
    </form>`;
}

// Navigation-bar text is 17px: a CJK character is one em wide, Latin text about half.
const BAR_FONT_PX = 17;
const BACK_CHEVRON = 30; // bar padding and the chevron
const TITLE_GAP = 16;

function barTextWidth(text) {
  let ems = 0;
  for (const ch of text) ems += ch.codePointAt(0) >= 0x2e80 ? 1 : 0.56;
  return ems * BAR_FONT_PX;
}

function phoneChrome(view) {
  const { S } = ctx;
  const parent = view.crumbs.at(-1);
  const ios = ctx.platform === 'ios';
  let back = '<span class="nav-side"></span>';
  let fits = true;
  // Tab roots (home, account, cart, menu) have no back button, as in the apps.
  if (parent && !['home', 'account', 'cart', 'menu'].includes(view.screen)) {
    // Like UIKit: the previous screen's title, or plain "Back" when it would not
    // leave a clear gap before the centred title (else the title looks pushed aside).
    const side = innerWidth / 2 - barTextWidth(view.title) / 2;
    fits = BACK_CHEVRON + barTextWidth(parent.label) + TITLE_GAP <= side;
    const label = fits
      ? `<span class="sr-only">${esc(S.back)}: </span><span class="nav-back-label">${esc(parent.label)}</span>`
      : `<span class="nav-back-label">${esc(S.back)}</span>`;
    back = ios
      ? link('nav-back', parent.href, `${ICONS.back(22)}${label}`, 'nav-back')
      : link('nav-back', parent.href, ICONS.arrowBack(24), 'nav-back icon-btn', `aria-label="${esc(S.back)}"`);
  }
  const brandTitle = view.screen === 'home';
  const title = brandTitle
    ? `<h1 class="nav-title brand-title">${ICONS.leaf(22)}<span>${esc(S.brand)}</span></h1>`
    : `<h1 class="nav-title">${esc(view.title)}</h1>`;
  const search = view.homeSearch ? siteSearch(view.searchValue) : '';
  return `<div class="shell" data-screen="${esc(view.screen)}">
    <header class="appbar${brandTitle ? ' appbar-brand' : ''}">
      <div class="appbar-row${fits ? '' : ' short-back'}">${brandTitle ? '' : back}${title}${ios && !brandTitle ? '<span class="nav-side"></span>' : ''}</div>
      ${search}
    </header>
    <main class="content">${view.body}</main>
    ${tabBar(view.tab)}
  </div>`;
}

function webChrome(view) {
  const { S } = ctx;
  const user = ctx.scenario.user;
  const trail = view.crumbs.length
    ? `<nav class="crumbs" aria-label="${esc(S.breadcrumbs)}"><ol>${view.crumbs
        .map((c) => `<li>${link(c.id, c.href, esc(c.label))}</li>`)
        .join('')}<li aria-current="page">${esc(view.current || view.title)}</li></ol></nav>`
    : '';
  return `<div class="shell" data-screen="${esc(view.screen)}">
    <header class="site-header">
      ${link('tab-home', '#/', `${ICONS.leaf(26)}<span>${esc(S.brand)}</span>`, 'logo')}
      <p class="deliver"><span class="small">${esc(S.deliverTo(tr(user.given)))}</span><span>${esc(tr(user.address).replace(/^〒\S+\s/, ''))}</span></p>
      ${siteSearch(view.searchValue)}
      ${link('tab-account', '#/account', `<span class="small">${esc(S.hello(tr(user.given)))}</span><strong>${esc(S.account)}</strong>`, 'head-link')}
      ${link('header-orders', '#/orders', `<span class="small">${esc(S.ordersShortcutSub)}</span><strong>${esc(S.ordersShortcut)}</strong>`, 'head-link')}
      ${link('tab-cart', '#/cart', `${ICONS.cart(28)}<strong>${esc(S.cart)}</strong>`, 'head-link cart-link')}
    </header>
    <nav class="subnav" aria-label="${esc(S.tabsLabel)}">
      ${link('tab-menu', '#/menu', `${ICONS.menu(20)}<span>${esc(S.allMenu)}</span>`, 'subnav-menu')}
      <span class="subnav-promo">${esc(S.promo)}</span>
    </nav>
    <main class="page page-${esc(view.screen)}">${trail}<h1 class="${view.screen === 'home' ? 'sr-only' : 'page-title'}">${esc(view.title)}</h1>${view.body}</main>
    <footer class="site-footer"><p>${esc(S.footer)}</p></footer>
  </div>`;
}

// ---------------------------------------------------------------- render

function render(scroll = 'top') {
  document.body.dataset.ready = 'false';
  const view = route();
  const root = document.getElementById('app');
  root.innerHTML = isPhone() ? phoneChrome(view) : webChrome(view);
  document.title = `${view.title} - ${ctx.S.brand}`;
  if (view.scrollToEnd) window.scrollTo(0, document.documentElement.scrollHeight);
  else if (scroll === 'top') window.scrollTo(0, 0);
  document.body.dataset.ready = 'true';
}

function navigate(href) {
  const m = /^#\/orders\/([^/?]+)\/contact$/.exec(href);
  if (m) {
    // Opening the assistant again after a finished conversation starts anew.
    const a = ctx.state.assistant[m[1]];
    if (a && a.step === 'sent') {
      delete ctx.state.assistant[m[1]];
      save();
    }
  }
  if (href !== location.hash) history.pushState(null, '', href);
  render('top');
}

const actions = {
  go(el) {
    navigate(el.dataset.href);
  },
  'assistant-choice'(el) {
    const id = route.orderId();
    ctx.state.assistant[id] = { step: 'write', topic: el.dataset.topic };
    save();
    render('keep');
  },
};

// The order id of the current '#/orders/ID/...' route.
route.orderId = () => (/^#\/orders\/([^/?]+)/.exec(location.hash) || [])[1];

const forms = {
  'order-search'(form) {
    const value = form.querySelector('input').value.trim();
    navigate(value ? `#/orders?q=${encodeURIComponent(value)}` : '#/orders');
  },
  'site-search'(form) {
    const value = form.querySelector('input').value.trim();
    navigate(`#/search?q=${encodeURIComponent(value)}`);
  },
  assistant(form) {
    const id = form.dataset.order;
    const text = form.querySelector('textarea').value.trim();
    const a = ctx.state.assistant[id];
    if (!text) {
      a.error = true;
      save();
      render('keep');
      return;
    }
    const message = newMessage({ folder: 'sent', orderId: id, topic: a.topic, body: text });
    ctx.state.assistant[id] = { step: 'sent', topic: a.topic, messageId: message.id };
    save();
    render('keep');
  },
  return(form) {
    const id = form.dataset.order;
    const reason = form.querySelector('select').value;
    const comment = form.querySelector('textarea').value.trim();
    const message = newMessage({
      folder: 'sent',
      orderId: id,
      topic: 'return',
      body: comment || ctx.S.reasons[reason],
    });
    ctx.state.returns.push({ orderId: id, date: today(), reason, messageId: message.id });
    save();
    navigate(`#/orders/${id}/return/done`);
  },
  claim(form) {
    const id = form.dataset.order;
    const reason = form.querySelector('select').value;
    const details = form.querySelector('textarea').value.trim();
    if (!details) {
      ui.claimError = true;
      ui.claimReason = reason;
      render('keep');
      return;
    }
    ui.claimError = false;
    ui.claimReason = null;
    const number = `G-${today().replaceAll('-', '')}-${id}`;
    ctx.state.claims.push({ orderId: id, date: today(), reason, details, number });
    save();
    navigate(`#/orders/${id}/claim/done`);
  },
};

function filterOrdersInPlace(value) {
  document.body.dataset.ready = 'false';
  const results = document.getElementById('order-results');
  if (results) results.innerHTML = orderItems(value.trim());
  document.body.dataset.ready = 'true';
}

function bindEvents() {
  document.addEventListener('click', (event) => {
    const anchor = event.target.closest('a[href^="#"]');
    if (anchor) {
      event.preventDefault();
      navigate(anchor.getAttribute('href'));
      return;
    }
    const el = event.target.closest('button[data-action]');
    if (el) actions[el.dataset.action](el);
  });
  document.addEventListener('submit', (event) => {
    event.preventDefault();
    const handler = forms[event.target.dataset.form];
    if (handler) handler(event.target);
  });
  document.addEventListener('input', (event) => {
    if (event.target.id === 'order-search-input') filterOrdersInPlace(event.target.value);
  });
  // Arrow keys move between message folder tabs, as the tab pattern expects.
  document.addEventListener('keydown', (event) => {
    const tab = event.target.closest('[role="tab"]');
    if (!tab || !['ArrowLeft', 'ArrowRight'].includes(event.key)) return;
    const tabs = [...document.querySelectorAll('[role="tab"]')];
    const step = event.key === 'ArrowRight' ? 1 : -1;
    const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length];
    navigate(next.dataset.href);
    document.querySelector('[role="tab"][aria-selected="true"]').focus();
  });
  window.addEventListener('popstate', () => render('top'));
}

function renderError(message) {
  document.body.dataset.ready = 'false';
  document.getElementById('app').innerHTML = `<main class="page error-page" data-screen="error"><h1>${esc(ctx.S.errorTitle)}</h1><p ${tid('error-message')}>${esc(message)}</p></main>`;
  document.body.dataset.ready = 'true';
}

async function boot() {
  const params = new URLSearchParams(location.search);
  const platform = params.get('platform');
  ctx.platform = PLATFORMS.includes(platform) ? platform : detectPlatform(navigator.userAgent);
  const lang = params.get('lang');
  ctx.lang = LANGS.includes(lang) ? lang : 'ja';
  ctx.S = STRINGS[ctx.lang];
  ctx.scenarioName = params.get('scenario') || DEFAULT_SCENARIO;
  document.documentElement.lang = ctx.lang;
  document.body.dataset.platform = ctx.platform;
  document.body.className = `platform-${ctx.platform}`;

  const response = await fetch('scenarios.json', { cache: 'no-store' });
  ctx.scenarios = await response.json();
  ctx.scenario = ctx.scenarios[ctx.scenarioName];
  if (!ctx.scenario) {
    renderError(ctx.S.errorText(ctx.scenarioName, Object.keys(ctx.scenarios).join(', ')));
    return;
  }
  ctx.state = loadState(ctx.scenarioName);
  bindEvents();
  render('top');
}

boot();
