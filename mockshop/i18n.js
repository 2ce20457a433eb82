// Every visible label of the shop, in Japanese (default) and English.
// Functions take the values that change per order or scenario.

export const STRINGS = {
  ja: {
    brand: 'こもれびマーケット',
    brandShort: 'こもれび',
    home: 'ホーム',
    account: 'アカウント',
    cart: 'カート',
    menu: 'メニュー',
    tabsLabel: 'メインメニュー',
    back: '戻る',
    breadcrumbs: 'パンくずリスト',
    searchSite: 'こもれびマーケットで検索',
    searchSiteLabel: '商品を検索',
    searchButton: '検索',
    hello: (name) => `こんにちは、${name}さん`,
    deliverTo: (name) => `お届け先: ${name}さん`,
    ordersShortcut: '注文履歴',
    ordersShortcutSub: '返品もこちら',
    allMenu: 'すべて',
    promo: '暮らしに木漏れ日を。手しごとの品を全国の出品者から',
    footer: '© 2026 こもれびマーケット（架空のショップ・デモ用）',

    homeHeroTitle: '冬のてしごと市',
    homeHeroText: '全国の工房から、あたたかな冬の道具をお届けします。',
    homeRecommended: 'おすすめの商品',
    searchResults: '検索結果',
    searchNone: (q) => `「${q}」に一致する商品はありません。`,
    searchCount: (q, n) => `「${q}」の検索結果 ${n}件`,

    accountTitle: 'アカウント',
    orderHistory: '注文履歴',
    orderHistoryText: '注文の確認、返品、お問い合わせ',
    accountServices: 'アカウントサービス',
    accountServicesText: '支払い、住所、メッセージなど',
    recentOrders: '最近の注文',

    servicesTitle: 'アカウントサービス',
    secOrders: '注文',
    svcOrders: '注文履歴',
    svcBuyAgain: '再度購入',
    secPayment: '支払い',
    svcPayments: 'お支払い方法',
    svcGiftCards: 'ギフトカード残高',
    secSettings: 'アカウント設定',
    svcSecurity: 'ログインとセキュリティ',
    svcAddresses: '住所の管理',
    svcProfile: 'プロフィール',
    svcEmailPrefs: 'メール配信の設定',
    secMessageCenter: 'メッセージセンター',
    svcMessages: 'メッセージ',
    svcMessagesText: '出品者とのやり取り、送信済みメッセージ',
    svcNotices: 'お知らせの設定',
    placeholderTitle: 'この画面はデモでは省略しています',
    placeholderText: 'こもれびマーケットは説明用の架空のショップです。この項目の画面は用意していません。',
    backToServices: 'アカウントサービスに戻る',

    ordersTitle: '注文履歴',
    orderSearchLabel: '注文を検索',
    orderSearchPlaceholder: '注文履歴を検索',
    orderSearchButton: '検索',
    orderSearchNone: (q) => `「${q}」に一致する注文はありません。`,
    orderCount: (n) => `${n}件の注文`,
    deliveredOn: (d) => `${d}に配達済み`,
    orderedOn: '注文日',
    orderTotal: '合計',
    orderNumber: '注文番号',
    shipTo: 'お届け先',
    viewOrder: '注文の詳細',
    orderProblem: '注文に関する問題',

    orderDetailTitle: '注文の詳細',
    orderSummary: '注文の概要',
    delivered: '配達済み',
    quantity: (n) => `数量: ${n}`,
    soldBy: '販売元',
    shippedBy: '出荷元',
    fulfilment: {
      marketplace: 'こもれびマーケットが販売、発送します',
      'seller-marketplace-ships': '出品者が販売し、こもれびマーケットが発送します',
      seller: '出品者が販売、発送します',
    },
    sellerNote:
      'この商品は出品者が発送しました。お名前とお届け先は、発送のため出品者に伝えられています。',
    problemSection: 'お届けの商品に問題がある場合',
    problemSectionText: '破損や不具合があるときは、出品者に直接お問い合わせください。',
    problemSectionMarketplace:
      'この商品はこもれびマーケットが販売しています。カスタマーサービスがお手伝いします。',
    contactSeller: '出品者に連絡する',
    contactSupport: 'カスタマーサービスに連絡する',
    supportTitle: 'カスタマーサービス',
    supportText:
      'こもれびマーケットが販売した商品の返品・交換は、「注文に関する問題」から手続きできます。',

    assistantTitle: 'メッセージアシスタント',
    assistantTo: (seller) => `宛先: ${seller}`,
    assistantGreeting: (name, item, seller) =>
      `こんにちは、${name}さん。メッセージアシスタントです。「${item}」について、${seller}へのお問い合わせをお手伝いします。`,
    assistantAsk: 'どのような問題がありますか？',
    assistantChoicesLabel: '問題の種類',
    topics: {
      damaged: '商品が破損している',
      defective: '商品に不具合がある',
      'missing-parts': '商品または部品が不足している',
      'not-arrived': '商品が届かない',
      other: 'その他の問い合わせ',
    },
    assistantAskDetails: '状況を詳しく入力してください。入力した内容が出品者に送信されます。',
    assistantInputLabel: '出品者へのメッセージ',
    assistantInputPlaceholder: 'メッセージを入力',
    assistantSend: '送信',
    assistantEmpty: 'メッセージを入力してください。',
    assistantSent: (seller) =>
      `メッセージを${seller}に送信しました。出品者からの返信には数日程度かかることがあります。返信はメールとメッセージセンターでお知らせします。`,
    assistantViewSent: '送信済みメッセージを見る',
    assistantDone: '注文の詳細に戻る',
    assistantBot: 'アシスタント',
    assistantYou: 'あなた',

    messagesTitle: 'メッセージ',
    messageFolders: '表示するメッセージ',
    folderAll: 'すべて',
    folderBuyerSeller: '出品者/購入者の連絡',
    folderSent: '送信済み',
    noMessages: 'メッセージはありません',
    noMessagesText: '出品者とのやり取りはここに表示されます。',
    unread: '未読',
    fromLabel: '差出人',
    toLabel: '宛先',
    dateLabel: '日時',
    orderLabel: '注文番号',
    messageDetailTitle: 'メッセージ',
    viewOrderLink: '注文の詳細を表示',
    subjectFor: (topic, number) => `${topic}（注文番号 ${number}）`,
    replySubject: (number) => `Re: ご注文の商品について（注文番号 ${number}）`,
    returnTopic: '返品リクエスト',
    you: (name) => `${name}（あなた）`,

    problemTitle: '注文に関する問題',
    problemAsk: '商品の問題について教えてください',
    problemAskText: '状況にいちばん近い理由を選んでください。',
    reasons: {
      'not-arrived': '商品が届かない',
      'missing-parts': '商品または部品が不足している',
      damaged: '商品が破損している、または不具合がある',
      'wrong-item': '注文と異なる商品が届いた',
      'not-as-described': '商品説明と異なる',
    },
    selectedReason: '選択した理由',
    statusNone:
      '出品者への連絡や返品リクエストがまだ行われていません。まず出品者に連絡するか、返品をリクエストしてください。',
    statusNoneNote:
      '出品者に連絡してから2週間たっても返信がない場合は、マーケットプレイス保証を申請できます。まだ連絡していない場合は、返品リクエストから2週間たっても返信がなければ申請できます。',
    statusContacted: (d, until, left) =>
      `${d}に出品者に連絡しました。返信をお待ちいただくか、返品をリクエストしてください。${until}までに返信がない場合は、マーケットプレイス保証を申請できます（あと${left}日）。`,
    statusContactOverdue: (d, days) =>
      `${d}に出品者に連絡してから${days}日たちましたが、返信がありません。マーケットプレイス保証を申請できます。`,
    statusReturnWaiting: (d, until, left) =>
      `${d}に返品をリクエストしました。出品者からの返信をお待ちください。${until}までに返信がない場合は、マーケットプレイス保証を申請できます（あと${left}日）。`,
    statusReturnOverdue: (d, days) =>
      `${d}に返品をリクエストしてから${days}日たちましたが、出品者から返信がありません。マーケットプレイス保証を申請できます。`,
    statusReplied: '出品者から返信が届いています。メッセージセンターで内容を確認してください。',
    statusClaimed: (n) => `マーケットプレイス保証を申請済みです（申請番号 ${n}）。`,
    statusMarketplace:
      'この商品はこもれびマーケットが販売しています。返品リクエストから返品・返金の手続きができます。',
    optionsLabel: '次にできること',
    returnRequest: '返品リクエスト',
    fileClaim: 'マーケットプレイス保証の申請',

    returnTitle: '返品リクエスト',
    returnIntro: (seller) => `${seller}に返品をリクエストします。出品者から返品の方法が案内されます。`,
    returnReasonLabel: '返品の理由',
    returnCommentLabel: '出品者へのコメント（任意）',
    returnCommentPlaceholder: '状況を入力',
    returnSubmit: '返品をリクエストする',
    returnDoneTitle: '返品リクエストを送信しました',
    returnDoneText: (seller) =>
      `${seller}に返品リクエストを送信しました。出品者からの返信をお待ちください。`,
    returnRequestedOn: 'リクエスト日',
    returnGuaranteeNote: (until) =>
      `${until}までに出品者から返信がない場合は、「注文に関する問題」からマーケットプレイス保証を申請できます。`,
    returnBack: '注文の詳細に戻る',

    claimTitle: 'マーケットプレイス保証の申請',
    claimIntro:
      '出品者に連絡してから2週間たっても返信がない場合（連絡せずに返品をリクエストした場合は、リクエストから2週間）、こもれびマーケットが商品代金を返金します。',
    claimAmount: '返金の対象額',
    claimReasonLabel: '申請の理由',
    claimDetailsLabel: '状況の詳細',
    claimDetailsPlaceholder: 'どのような問題があり、出品者とどのようなやり取りをしたか',
    claimDetailsMissing: '状況の詳細を入力してください。',
    claimSubmit: '申請する',
    claimNotEligible:
      'この注文は、現在マーケットプレイス保証の申請対象ではありません。出品者に連絡してから（連絡していない場合は返品をリクエストしてから）2週間たっても返信がない場合に申請できます。',
    claimDoneTitle: '申請を受け付けました',
    claimDoneText:
      'マーケットプレイス保証の申請を受け付けました。審査の結果は、登録されているメールアドレスにお知らせします。',
    claimNumber: '申請番号',
    claimBack: '注文の詳細に戻る',

    cartTitle: 'カート',
    cartEmpty: 'カートは空です',
    cartEmptyText: 'おすすめの商品から探してみましょう。',
    cartContinue: '買い物を続ける',

    menuTitle: 'メニュー',
    language: '言語 / Language',
    japanese: '日本語',
    english: 'English',
    aboutDemo: 'このショップについて',
    aboutDemoText:
      'こもれびマーケットは、ヘルプガイドの画面を作るための架空のショップです。登場する出品者、人物、住所はすべて架空のものです。',

    errorTitle: 'シナリオが見つかりません',
    errorText: (name, names) => `「${name}」というシナリオはありません。使えるシナリオ: ${names}`,
    yen: (n) => `¥${n.toLocaleString('en-US')}`,
  },
  en: {
    brand: 'Komorebi Market',
    brandShort: 'Komorebi',
    home: 'Home',
    account: 'Account',
    cart: 'Cart',
    menu: 'Menu',
    tabsLabel: 'Main menu',
    back: 'Back',
    breadcrumbs: 'Breadcrumb',
    searchSite: 'Search Komorebi Market',
    searchSiteLabel: 'Search products',
    searchButton: 'Search',
    hello: (name) => `Hello, ${name}`,
    deliverTo: (name) => `Deliver to ${name}`,
    ordersShortcut: 'Your Orders',
    ordersShortcutSub: 'Returns',
    allMenu: 'All',
    promo: 'Handmade goods from makers across the country',
    footer: '© 2026 Komorebi Market (a fictional demo shop)',

    homeHeroTitle: 'Winter Makers Fair',
    homeHeroText: 'Warm, handmade things for winter from workshops across the country.',
    homeRecommended: 'Recommended for you',
    searchResults: 'Search results',
    searchNone: (q) => `No products match "${q}".`,
    searchCount: (q, n) => `${n} result${n === 1 ? '' : 's'} for "${q}"`,

    accountTitle: 'Your Account',
    orderHistory: 'Your Orders',
    orderHistoryText: 'Track, return, or get help with orders',
    accountServices: 'Account Services',
    accountServicesText: 'Payments, addresses, messages and more',
    recentOrders: 'Recent orders',

    servicesTitle: 'Account Services',
    secOrders: 'Orders',
    svcOrders: 'Your Orders',
    svcBuyAgain: 'Buy Again',
    secPayment: 'Payments',
    svcPayments: 'Payment methods',
    svcGiftCards: 'Gift card balance',
    secSettings: 'Account settings',
    svcSecurity: 'Login & security',
    svcAddresses: 'Your addresses',
    svcProfile: 'Profile',
    svcEmailPrefs: 'Email preferences',
    secMessageCenter: 'Message Center',
    svcMessages: 'Messages',
    svcMessagesText: 'Conversations with sellers and sent messages',
    svcNotices: 'Notification settings',
    placeholderTitle: 'This page is left out of the demo',
    placeholderText:
      'Komorebi Market is a fictional shop made for help guides. This page is not part of it.',
    backToServices: 'Back to Account Services',

    ordersTitle: 'Your Orders',
    orderSearchLabel: 'Search orders',
    orderSearchPlaceholder: 'Search all orders',
    orderSearchButton: 'Search',
    orderSearchNone: (q) => `No orders match "${q}".`,
    orderCount: (n) => `${n} order${n === 1 ? '' : 's'}`,
    deliveredOn: (d) => `Delivered ${d}`,
    orderedOn: 'Order placed',
    orderTotal: 'Total',
    orderNumber: 'Order #',
    shipTo: 'Ship to',
    viewOrder: 'View order details',
    orderProblem: 'Problem with order',

    orderDetailTitle: 'Order Details',
    orderSummary: 'Order summary',
    delivered: 'Delivered',
    quantity: (n) => `Qty: ${n}`,
    soldBy: 'Sold by',
    shippedBy: 'Shipped by',
    fulfilment: {
      marketplace: 'Sold and shipped by Komorebi Market',
      'seller-marketplace-ships': 'Sold by a seller, shipped by Komorebi Market',
      seller: 'Sold and shipped by a seller',
    },
    sellerNote:
      'This item was shipped by the seller. Your name and address were shared with the seller for delivery.',
    problemSection: 'Problem with your delivered item?',
    problemSectionText: 'If the item is damaged or does not work, contact the seller directly.',
    problemSectionMarketplace:
      'This item is sold by Komorebi Market. Our customer service team can help.',
    contactSeller: 'Contact seller',
    contactSupport: 'Contact customer service',
    supportTitle: 'Customer Service',
    supportText:
      'Returns and replacements for items sold by Komorebi Market start from "Problem with order".',

    assistantTitle: 'Messaging Assistant',
    assistantTo: (seller) => `To: ${seller}`,
    assistantGreeting: (name, item, seller) =>
      `Hi ${name}, I'm the messaging assistant. I'll help you contact ${seller} about "${item}".`,
    assistantAsk: 'What is the problem?',
    assistantChoicesLabel: 'Kind of problem',
    topics: {
      damaged: 'Item arrived damaged',
      defective: 'Item is defective',
      'missing-parts': 'Item or parts missing',
      'not-arrived': 'Item has not arrived',
      other: 'Something else',
    },
    assistantAskDetails:
      'Please describe the problem in detail. What you write will be sent to the seller.',
    assistantInputLabel: 'Message to the seller',
    assistantInputPlaceholder: 'Type a message',
    assistantSend: 'Send',
    assistantEmpty: 'Please type a message.',
    assistantSent: (seller) =>
      `Your message was sent to ${seller}. Sellers may take a few days to reply. We'll let you know by email and in the Message Center.`,
    assistantViewSent: 'View sent messages',
    assistantDone: 'Back to order details',
    assistantBot: 'Assistant',
    assistantYou: 'You',

    messagesTitle: 'Messages',
    messageFolders: 'Message folders',
    folderAll: 'All',
    folderBuyerSeller: 'Buyer/Seller Messages',
    folderSent: 'Sent',
    noMessages: 'No messages',
    noMessagesText: 'Your conversations with sellers appear here.',
    unread: 'Unread',
    fromLabel: 'From',
    toLabel: 'To',
    dateLabel: 'Date',
    orderLabel: 'Order #',
    messageDetailTitle: 'Message',
    viewOrderLink: 'View order details',
    subjectFor: (topic, number) => `${topic} (Order ${number})`,
    replySubject: (number) => `Re: Your order ${number}`,
    returnTopic: 'Return request',
    you: (name) => `${name} (you)`,

    problemTitle: 'Problem with order',
    problemAsk: 'Tell us about the problem with your item',
    problemAskText: 'Choose the reason closest to what happened.',
    reasons: {
      'not-arrived': 'Item has not arrived',
      'missing-parts': 'Item or parts missing',
      damaged: 'Item is damaged or defective',
      'wrong-item': 'Received the wrong item',
      'not-as-described': 'Item is not as described',
    },
    selectedReason: 'Reason',
    statusNone:
      'You have not contacted the seller or requested a return yet. Please contact the seller or request a return first.',
    statusNoneNote:
      'If the seller has not replied two weeks after you contacted them, you can file a Marketplace Guarantee claim. If you have not contacted the seller, the two weeks start when you request a return.',
    statusContacted: (d, until, left) =>
      `You contacted the seller on ${d}. Please wait for a reply, or request a return. If there is no reply by ${until}, you can file a Marketplace Guarantee claim (${left} day${left === 1 ? '' : 's'} left).`,
    statusContactOverdue: (d, days) =>
      `You contacted the seller on ${d}, ${days} days ago, and the seller has not replied. You can file a Marketplace Guarantee claim.`,
    statusReturnWaiting: (d, until, left) =>
      `You requested a return on ${d}. Please wait for the seller's reply. If there is no reply by ${until}, you can file a Marketplace Guarantee claim (${left} day${left === 1 ? '' : 's'} left).`,
    statusReturnOverdue: (d, days) =>
      `You requested a return on ${d}, ${days} days ago, and the seller has not replied. You can file a Marketplace Guarantee claim.`,
    statusReplied: 'The seller has replied. Please read the reply in the Message Center.',
    statusClaimed: (n) => `You filed a Marketplace Guarantee claim (claim ${n}).`,
    statusMarketplace:
      'This item is sold by Komorebi Market. Request a return to get a return or refund.',
    optionsLabel: 'What you can do next',
    returnRequest: 'Return request',
    fileClaim: 'File a Marketplace Guarantee claim',

    returnTitle: 'Return Request',
    returnIntro: (seller) =>
      `Request a return from ${seller}. The seller will tell you how to send the item back.`,
    returnReasonLabel: 'Reason for return',
    returnCommentLabel: 'Comment to the seller (optional)',
    returnCommentPlaceholder: 'Describe the problem',
    returnSubmit: 'Request return',
    returnDoneTitle: 'Return request sent',
    returnDoneText: (seller) =>
      `Your return request was sent to ${seller}. Please wait for the seller's reply.`,
    returnRequestedOn: 'Requested on',
    returnGuaranteeNote: (until) =>
      `If the seller has not replied by ${until}, you can file a Marketplace Guarantee claim from "Problem with order".`,
    returnBack: 'Back to order details',

    claimTitle: 'Marketplace Guarantee Claim',
    claimIntro:
      'If a seller has not replied two weeks after you contacted them (or, if you did not contact them, two weeks after your return request), Komorebi Market refunds the price of the item.',
    claimAmount: 'Amount covered',
    claimReasonLabel: 'Reason for the claim',
    claimDetailsLabel: 'What happened',
    claimDetailsPlaceholder: 'Describe the problem and your contact with the seller',
    claimDetailsMissing: 'Please describe what happened.',
    claimSubmit: 'Submit claim',
    claimNotEligible:
      'This order cannot be claimed under the Marketplace Guarantee right now. You can file a claim when the seller has not replied two weeks after you contacted them (or, if you did not, two weeks after your return request).',
    claimDoneTitle: 'Claim received',
    claimDoneText:
      'We received your Marketplace Guarantee claim. We will email you the result of our review.',
    claimNumber: 'Claim number',
    claimBack: 'Back to order details',

    cartTitle: 'Cart',
    cartEmpty: 'Your cart is empty',
    cartEmptyText: 'Have a look at our recommendations.',
    cartContinue: 'Continue shopping',

    menuTitle: 'Menu',
    language: '言語 / Language',
    japanese: '日本語',
    english: 'English',
    aboutDemo: 'About this shop',
    aboutDemoText:
      'Komorebi Market is a fictional shop for making help-guide screenshots. All sellers, people and addresses are made up.',

    errorTitle: 'Scenario not found',
    errorText: (name, names) => `There is no scenario called "${name}". Scenarios: ${names}`,
    yen: (n) => `¥${n.toLocaleString('en-US')}`,
  },
};

const MONTHS_EN = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

// Dates are plain 'YYYY-MM-DD' strings from the scenario; no Date object is
// involved so neither the clock nor the time zone can change what is shown.
export function formatDate(iso, lang, withYear = true) {
  const [y, m, d] = iso.split('-').map(Number);
  if (lang === 'ja') return withYear ? `${y}年${m}月${d}日` : `${m}月${d}日`;
  const md = `${MONTHS_EN[m - 1]} ${d}`;
  return withYear ? `${md}, ${y}` : md;
}
