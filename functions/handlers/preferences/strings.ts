import type { ConsentPurpose, Locale, MarketingTopic } from '../../domain/events/events';

/**
 * The words of customers' pages (preference center, /why), per locale. Plain language: people decide
 * here what we may do. Polish and Russian sentences are whole per case: a topic's name takes the form
 * its sentence needs (nominative on a switch, accusative after "zgoda na" / "согласие на", genitive
 * after "od"/"от", "z" and a negation), and counts take their plural category (Intl.PluralRules).
 */

/** A consent purpose's name in the forms sentences need. */
export interface PurposeForms {
  /** On a switch and as a label (nominative). */
  name: string;
  /** After "agreed to": pl "zgoda na …" and ru "согласие на …" (accusative). */
  accusative: string;
  /** After "unsubscribe from", a negation, ru "отказ от …" (genitive). */
  genitive: string;
}

export interface PageStrings {
  title: string;
  intro: string;
  unsubscribeTopic: (topic: MarketingTopic) => string;
  unsubscribeAll: string;
  /** After an unsubscribe from one topic, or from all marketing. */
  unsubscribed: (topic: MarketingTopic | 'all') => string;
  nothingToUnsubscribe: string;
  saved: string;
  topicsLegend: string;
  /** Nominative names, for switches and labels. */
  topics: Record<MarketingTopic, string>;
  purposes: Record<ConsentPurpose, PurposeForms>;
  tracking: { legend: string; label: string; hint: string; on: string; off: string };
  frequencyLegend: string;
  frequency: { any: string; weekly: string; monthly: string };
  levelLegend: string;
  levels: { none: [string, string]; basic: [string, string]; full: [string, string] };
  save: string;
  knowTitle: string;
  knowCaption: string;
  fields: { email: string; firstName: string; lastName: string; locale: string; timezone: string; country: string; tracking: string };
  historyTitle: string;
  historyCaption: string;
  historyColumns: { when: string; what: string; how: string };
  consentChange: (purpose: ConsentPurpose, status: 'granted' | 'withdrawn') => string;
  preferenceChange: (field: 'frequency' | 'personalization' | 'suppression', from: string | undefined, to: string) => string;
  /** How a consent or preference change was made, by its recorded source. */
  sources: Record<string, string>;
  sourceOther: string;
  /** A policy version as words: a YYYY-MM version names its month. */
  policy: (version: string) => string;
  noHistory: string;
  dataTitle: string;
  download: string;
  erase: string;
  eraseConfirmTitle: string;
  eraseConfirmText: string;
  eraseConfirm: string;
  cancel: string;
  erased: string;
  invalidLink: string;
  invalidLinkText: string;
  oneClickDone: string;
  /** A link from an email sent to an address the customer no longer has: it unsubscribes and shows nothing else. */
  addressChanged: string;
  support: string;
  why: WhyStrings;
}

export interface WhyStrings {
  title: string;
  intro: string;
  campaignTitle: string;
  step: (n: number, of: number) => string;
  startedTitle: string;
  /** "You left 2 items in your cart on 3 December": the count and the day (in the reader's zone) given. */
  cartLeft: (count: number, day: string) => string;
  /** Another trigger: the event in words, and when. */
  event: (type: string, day: string) => string;
  /** A broadcast: the group (segment) the reader was in, and the day it went out. */
  audience: (group: string, day: string) => string;
  fieldsTitle: string;
  fieldsCaption: string;
  fieldsColumns: { field: string; value: string };
  fieldLabels: Record<string, string>;
  fieldOther: string;
  notKept: string;
  noFields: string;
  levelTitle: string;
  level: (name: string) => string;
  changeLevel: string;
  consentTitle: string;
  consent: (purpose: ConsentPurpose, day: string, how: string) => string;
  textShown: string;
  consentAssumed: string;
  transactional: string;
  trackingTitle: string;
  trackingOn: string;
  trackingOff: string;
  changeTracking: string;
  linksTitle: string;
  preferences: string;
}

const plural = (locale: Locale, count: number, forms: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }): string =>
  forms[new Intl.PluralRules(locale).select(count)] ?? forms.other;

/** "January 2026" for a YYYY-MM(-DD) version, in the locale's standalone month (no case to agree with). */
function monthOf(version: string, locale: Locale): string | undefined {
  const m = /^(\d{4})-(\d{2})(?:-\d{2})?$/.exec(version);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return undefined;
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 15)),
  );
}

const EVENTS_EN: Record<string, string> = {
  'cart.updated': 'you changed your cart',
  'order.placed': 'you placed an order',
  'product.viewed': 'you looked at a product',
  'loyalty.points_changed': 'your loyalty points changed',
  'customer.upserted': 'you joined the shop',
  'consent.changed': 'you changed your consent',
};

const en: PageStrings = {
  title: 'Your email preferences',
  intro: 'You decide what we send you. Changes apply at once, also to emails already planned.',
  unsubscribeTopic: (t) => `Unsubscribe from ${en.topics[t]}`,
  unsubscribeAll: 'Unsubscribe from all marketing email',
  unsubscribed: (t) => `Done: you will not get ${t === 'all' ? 'marketing email' : en.topics[t]} any more.`,
  nothingToUnsubscribe: 'You were already unsubscribed.',
  saved: 'Your choices are saved.',
  topicsLegend: 'What may we email you about?',
  topics: {
    cart_reminders: 'cart reminders',
    loyalty: 'loyalty offers',
    recommendations: 'product recommendations',
    newsletter: 'the newsletter',
  },
  purposes: {
    cart_reminders: { name: 'cart reminders', accusative: 'cart reminders', genitive: 'cart reminders' },
    loyalty: { name: 'loyalty offers', accusative: 'loyalty offers', genitive: 'loyalty offers' },
    recommendations: { name: 'product recommendations', accusative: 'product recommendations', genitive: 'product recommendations' },
    newsletter: { name: 'the newsletter', accusative: 'the newsletter', genitive: 'the newsletter' },
    tracking: {
      name: 'seeing when you open our emails and which links you click',
      accusative: 'us seeing when you open our emails and which links you click',
      genitive: 'us seeing when you open our emails and which links you click',
    },
  },
  tracking: {
    legend: 'May we see what you do with our emails?',
    label: 'Let us see when you open our emails and which links you click',
    hint: 'Without this, our emails carry no invisible picture and no redirected links, and we only learn that an email arrived.',
    on: 'Allowed: we see when you open our emails and which links you click.',
    off: 'Not allowed: we do not see whether you open our emails or click their links.',
  },
  frequencyLegend: 'How often?',
  frequency: { any: 'As often as useful (never more than twice a day)', weekly: 'At most once a week', monthly: 'At most once a month' },
  levelLegend: 'How personal may our emails be?',
  levels: {
    none: ['None', 'Nothing from what you do in the shop shapes our emails.'],
    basic: ['Basic', 'We use what you put in your cart and your orders, for example to remind you of a cart.'],
    full: ['Full', 'We also use the products you looked at, to recommend others.'],
  },
  save: 'Save my choices',
  knowTitle: 'What we know about you',
  knowCaption: 'Your details as the shop gave them to us',
  fields: {
    email: 'Email',
    firstName: 'First name',
    lastName: 'Last name',
    locale: 'Language',
    timezone: 'Time zone',
    country: 'Country',
    tracking: 'Opens and clicks',
  },
  historyTitle: 'Your consent history',
  historyCaption: 'Every time you gave or withdrew consent or changed a choice, newest first',
  historyColumns: { when: 'When', what: 'What changed', how: 'How' },
  consentChange: (p, status) =>
    status === 'granted' ? `You agreed to ${en.purposes[p].accusative}` : `You withdrew consent to ${en.purposes[p].accusative}`,
  preferenceChange: (field, from, to) =>
    field === 'suppression'
      ? 'Emails to your address were stopped'
      : `${field === 'frequency' ? 'Email frequency' : 'Personalization'} changed from “${from ?? '—'}” to “${to}”`,
  sources: {
    checkout: 'at checkout in the shop',
    api: 'through the shop',
    signup: 'when you signed up in the shop',
    preference_center: 'on this page',
    one_click: 'with the unsubscribe link in an email',
    complaint: 'by marking one of our emails as spam',
    bounce: 'because emails to your address could not be delivered',
    erase: 'when your data was erased',
  },
  sourceOther: 'through the shop',
  policy: (v) => {
    const month = monthOf(v, 'en');
    return month ? `privacy notice of ${month}` : `consent text version “${v}”`;
  },
  noHistory: 'No consent recorded.',
  dataTitle: 'Your data',
  download: 'Download my data (JSON)',
  erase: 'Erase my data',
  eraseConfirmTitle: 'Erase your data?',
  eraseConfirmText:
    'We delete your details, carts, orders and email history and will not email you again. We keep only the record of your ' +
    'consent choices, which the law asks us to keep, and a scrambled code of your address so a later import cannot sign you up ' +
    'again. This cannot be undone.',
  eraseConfirm: 'Yes, erase my data',
  cancel: 'Cancel',
  erased: 'Your data has been erased. We will not email you again.',
  invalidLink: 'This link does not work',
  invalidLinkText: 'The link may be incomplete or too old. Use the link in a newer email, or contact the shop.',
  oneClickDone: 'You are unsubscribed.',
  addressChanged:
    'This link came in an email to an address that is no longer on this account, or in an older email. ' +
    'It can still unsubscribe you; to see or change your preferences or your data, use the link in a newer email.',
  support: 'Questions? Write to us:',
  why: {
    title: 'Why you got this email',
    intro: 'This is what we used for this one email, as our records show it.',
    campaignTitle: 'Which email',
    step: (n, of) => `Email ${n} of ${of} in this series`,
    startedTitle: 'What started it',
    cartLeft: (count, day) => `You left ${count} ${plural('en', count, { one: 'item', other: 'items' })} in your cart on ${day}.`,
    event: (type, day) => `${capitalize(EVENTS_EN[type] ?? 'something happened in the shop')} on ${day}.`,
    audience: (group, day) => `It went out on ${day} to the group “${group}”, which you were in then.`,
    fieldsTitle: 'The data it used',
    fieldsCaption: 'Each piece of your data this email used, with its value as it is now',
    fieldsColumns: { field: 'Data', value: 'Now' },
    fieldLabels: {
      'customer.firstName': 'Your first name',
      'customer.lastName': 'Your last name',
      'cart.items': 'The items in your cart',
      'cart.itemCount': 'How many items are in your cart',
      'cart.url': 'The link back to your cart',
      'cart.updatedAt': 'When your cart last changed',
      'consent.grantedAt': 'When you agreed to these emails',
      'incentive.code': 'A reward code for your loyalty tier',
      'incentive.percent': 'The size of that reward',
      'product.name': 'The product you looked at',
      'product.price': 'Its price',
      'product.currency': 'Its currency',
      'product.url': 'The link to it',
      'product.imageUrl': 'Its picture',
      recommendations: 'Products we suggested',
      'loyalty.tier': 'Your loyalty tier',
      'loyalty.points': 'Your loyalty points',
      'loyalty.pointsExpireAt': 'When your points expire',
    },
    fieldOther: 'Other data from your profile',
    notKept: 'Chosen when the email was sent; not kept',
    noFields: 'This email used none of your data.',
    levelTitle: 'How personal it was',
    level: (name) => `Personalization level in force: ${name}.`,
    changeLevel: 'Change how personal our emails may be',
    consentTitle: 'The consent it relied on',
    consent: (p, day, how) => `You agreed to ${en.purposes[p].accusative} on ${day}, ${how}.`,
    textShown: 'What you were shown:',
    consentAssumed: 'We had no record of your answer; where you live, the shop may email you until you say no.',
    transactional: 'This email is about an order of yours and needs no marketing consent.',
    trackingTitle: 'Opens and clicks',
    trackingOn: 'Tracking was on for this email: we could see whether you opened it and which links you clicked.',
    trackingOff: 'Tracking was off for this email: it carried no invisible picture and no redirected links.',
    changeTracking: 'Change this for future emails',
    linksTitle: 'Your choices',
    preferences: 'Manage your email preferences',
  },
};

const EVENTS_PL: Record<string, string> = {
  'cart.updated': 'zmiana w Twoim koszyku',
  'order.placed': 'Twoje zamówienie',
  'product.viewed': 'obejrzany przez Ciebie produkt',
  'loyalty.points_changed': 'zmiana Twoich punktów lojalnościowych',
  'customer.upserted': 'założenie konta w sklepie',
  'consent.changed': 'zmiana Twojej zgody',
};

const pl: PageStrings = {
  title: 'Twoje ustawienia e-maili',
  intro: 'To Ty decydujesz, co od nas dostajesz. Zmiany działają od razu, także dla zaplanowanych wiadomości.',
  unsubscribeTopic: (t) => `Wypisz mnie z ${pl.purposes[t].genitive}`,
  unsubscribeAll: 'Wypisz mnie ze wszystkich e-maili marketingowych',
  unsubscribed: (t) => `Gotowe: nie będziesz już dostawać ${t === 'all' ? 'e-maili marketingowych' : pl.purposes[t].genitive}.`,
  nothingToUnsubscribe: 'Już wcześniej wypisano Cię z tych wiadomości.',
  saved: 'Zapisano Twoje ustawienia.',
  topicsLegend: 'O czym możemy do Ciebie pisać?',
  topics: {
    cart_reminders: 'przypomnienia o koszyku',
    loyalty: 'oferty programu lojalnościowego',
    recommendations: 'polecane produkty',
    newsletter: 'newsletter',
  },
  purposes: {
    cart_reminders: { name: 'przypomnienia o koszyku', accusative: 'przypomnienia o koszyku', genitive: 'przypomnień o koszyku' },
    loyalty: {
      name: 'oferty programu lojalnościowego',
      accusative: 'oferty programu lojalnościowego',
      genitive: 'ofert programu lojalnościowego',
    },
    recommendations: { name: 'polecane produkty', accusative: 'polecane produkty', genitive: 'polecanych produktów' },
    newsletter: { name: 'newsletter', accusative: 'newsletter', genitive: 'newslettera' },
    tracking: { name: 'śledzenie otwarć i kliknięć', accusative: 'śledzenie otwarć i kliknięć', genitive: 'śledzenia otwarć i kliknięć' },
  },
  tracking: {
    legend: 'Czy możemy widzieć, co robisz z naszymi e-mailami?',
    label: 'Pozwalam sprawdzać, kiedy otwieram wasze e-maile i które linki klikam',
    hint:
      'Bez tej zgody nasze e-maile nie zawierają niewidocznego obrazka ani przekierowanych linków, a my wiemy tylko, że wiadomość ' +
      'dotarła.',
    on: 'Zgoda udzielona: widzimy, kiedy otwierasz nasze e-maile i które linki klikasz.',
    off: 'Brak zgody: nie widzimy, czy otwierasz nasze e-maile ani czy klikasz ich linki.',
  },
  frequencyLegend: 'Jak często?',
  frequency: {
    any: 'Tak często, jak to przydatne (nie więcej niż dwa razy dziennie)',
    weekly: 'Najwyżej raz w tygodniu',
    monthly: 'Najwyżej raz w miesiącu',
  },
  levelLegend: 'Jak bardzo osobiste mogą być nasze e-maile?',
  levels: {
    none: ['Wcale', 'Nic z tego, co robisz w sklepie, nie wpływa na nasze e-maile.'],
    basic: ['Podstawowo', 'Korzystamy z tego, co masz w koszyku i co zamówisz, np. by przypomnieć o koszyku.'],
    full: ['W pełni', 'Korzystamy też z oglądanych produktów, by polecać inne.'],
  },
  save: 'Zapisz ustawienia',
  knowTitle: 'Co o Tobie wiemy',
  knowCaption: 'Twoje dane, które przekazał nam sklep',
  fields: {
    email: 'E-mail',
    firstName: 'Imię',
    lastName: 'Nazwisko',
    locale: 'Język',
    timezone: 'Strefa czasowa',
    country: 'Kraj',
    tracking: 'Otwarcia i kliknięcia',
  },
  historyTitle: 'Historia Twoich zgód',
  historyCaption: 'Każde udzielenie i wycofanie zgody oraz każda zmiana ustawień, od najnowszych',
  historyColumns: { when: 'Kiedy', what: 'Co się zmieniło', how: 'W jaki sposób' },
  consentChange: (p, status) =>
    status === 'granted' ? `Zgoda na ${pl.purposes[p].accusative}` : `Wycofanie zgody na ${pl.purposes[p].accusative}`,
  preferenceChange: (field, from, to) =>
    field === 'suppression'
      ? 'Wstrzymanie wysyłki na Twój adres'
      : `Zmiana ${field === 'frequency' ? 'częstotliwości e-maili' : 'personalizacji'}: z „${from ?? '—'}” na „${to}”`,
  sources: {
    checkout: 'przy składaniu zamówienia w sklepie',
    api: 'za pośrednictwem sklepu',
    signup: 'przy rejestracji w sklepie',
    preference_center: 'na tej stronie',
    one_click: 'linkiem do wypisania się w e-mailu',
    complaint: 'przez oznaczenie naszej wiadomości jako spam',
    bounce: 'ponieważ wiadomości na Twój adres nie docierały',
    erase: 'przy usunięciu Twoich danych',
  },
  sourceOther: 'za pośrednictwem sklepu',
  policy: (v) => {
    const month = monthOf(v, 'pl');
    return month ? `wersja zasad prywatności: ${month}` : `wersja treści zgody: „${v}”`;
  },
  noHistory: 'Brak zapisanych zgód.',
  dataTitle: 'Twoje dane',
  download: 'Pobierz moje dane (JSON)',
  erase: 'Usuń moje dane',
  eraseConfirmTitle: 'Usunąć Twoje dane?',
  eraseConfirmText:
    'Usuniemy Twoje dane, koszyki, zamówienia i historię e-maili i nie napiszemy do Ciebie ponownie. Zachowamy tylko zapis ' +
    'Twoich zgód, którego wymaga prawo, oraz zaszyfrowany kod adresu, aby późniejszy import nie zapisał Cię ponownie. Tego nie ' +
    'można cofnąć.',
  eraseConfirm: 'Tak, usuń moje dane',
  cancel: 'Anuluj',
  erased: 'Twoje dane zostały usunięte. Nie napiszemy do Ciebie ponownie.',
  invalidLink: 'Ten link nie działa',
  invalidLinkText: 'Link może być niepełny lub zbyt stary. Użyj linku z nowszej wiadomości albo skontaktuj się ze sklepem.',
  oneClickDone: 'Wypisano Cię.',
  addressChanged:
    'Ten link przyszedł w wiadomości na adres, którego nie ma już na tym koncie, albo w starszej wiadomości. ' +
    'Nadal możesz się nim wypisać; aby zobaczyć lub zmienić ustawienia albo swoje dane, użyj linku z nowszej wiadomości.',
  support: 'Masz pytania? Napisz do nas:',
  why: {
    title: 'Dlaczego dostajesz tę wiadomość',
    intro: 'Oto, z czego skorzystaliśmy przy tej jednej wiadomości, według naszych zapisów.',
    campaignTitle: 'Która wiadomość',
    step: (n, of) => `Wiadomość ${n} z ${of} w tej serii`,
    startedTitle: 'Od czego się zaczęło',
    cartLeft: (count, day) => {
      const items = plural('pl', count, { one: 'produkt', few: 'produkty', many: 'produktów', other: 'produktu' });
      return `${capitalize(day)} zostawiono w Twoim koszyku ${count} ${items}.`;
    },
    event: (type, day) => `${capitalize(EVENTS_PL[type] ?? 'zdarzenie w sklepie')}: ${day}.`,
    audience: (group, day) => `Wysłaliśmy ją ${day} do grupy „${group}”, do której wtedy należał(a)ś.`,
    fieldsTitle: 'Dane użyte w tej wiadomości',
    fieldsCaption: 'Każda Twoja dana użyta w tej wiadomości, z jej obecną wartością',
    fieldsColumns: { field: 'Dane', value: 'Obecnie' },
    fieldLabels: {
      'customer.firstName': 'Twoje imię',
      'customer.lastName': 'Twoje nazwisko',
      'cart.items': 'Produkty w Twoim koszyku',
      'cart.itemCount': 'Liczba produktów w koszyku',
      'cart.url': 'Link do Twojego koszyka',
      'cart.updatedAt': 'Ostatnia zmiana koszyka',
      'consent.grantedAt': 'Data Twojej zgody na te wiadomości',
      'incentive.code': 'Kod nagrody dla Twojego poziomu w programie lojalnościowym',
      'incentive.percent': 'Wysokość tej nagrody',
      'product.name': 'Oglądany produkt',
      'product.price': 'Jego cena',
      'product.currency': 'Jego waluta',
      'product.url': 'Link do niego',
      'product.imageUrl': 'Jego zdjęcie',
      recommendations: 'Polecone produkty',
      'loyalty.tier': 'Twój poziom w programie lojalnościowym',
      'loyalty.points': 'Twoje punkty lojalnościowe',
      'loyalty.pointsExpireAt': 'Data wygaśnięcia punktów',
    },
    fieldOther: 'Inne dane z Twojego profilu',
    notKept: 'Wybrane przy wysyłce; nie przechowujemy',
    noFields: 'Ta wiadomość nie korzystała z żadnych Twoich danych.',
    levelTitle: 'Jak bardzo była osobista',
    level: (name) => `Obowiązujący poziom personalizacji: ${name.toLowerCase()}.`,
    changeLevel: 'Zmień, jak bardzo osobiste mogą być nasze e-maile',
    consentTitle: 'Zgoda, na której się opieraliśmy',
    consent: (p, day, how) => `Zgoda na ${pl.purposes[p].accusative}: ${day}, ${how}.`,
    textShown: 'Co Ci wtedy pokazano:',
    consentAssumed: 'Nie mamy zapisu Twojej odpowiedzi; w Twoim kraju sklep może pisać do Ciebie, dopóki się nie sprzeciwisz.',
    transactional: 'Ta wiadomość dotyczy Twojego zamówienia i nie wymaga zgody marketingowej.',
    trackingTitle: 'Otwarcia i kliknięcia',
    trackingOn: 'Śledzenie było włączone: mogliśmy zobaczyć, czy otworzono tę wiadomość i które linki kliknięto.',
    trackingOff: 'Śledzenie było wyłączone: wiadomość nie zawierała niewidocznego obrazka ani przekierowanych linków.',
    changeTracking: 'Zmień to dla kolejnych wiadomości',
    linksTitle: 'Twoje wybory',
    preferences: 'Zarządzaj ustawieniami e-maili',
  },
};

const EVENTS_RU: Record<string, string> = {
  'cart.updated': 'изменение корзины',
  'order.placed': 'ваш заказ',
  'product.viewed': 'просмотр товара',
  'loyalty.points_changed': 'изменение ваших баллов лояльности',
  'customer.upserted': 'регистрация в магазине',
  'consent.changed': 'изменение вашего согласия',
};

const ru: PageStrings = {
  title: 'Настройки писем',
  intro: 'Вы решаете, что мы вам присылаем. Изменения действуют сразу, в том числе для уже запланированных писем.',
  unsubscribeTopic: (t) => `Отписаться от ${ru.purposes[t].genitive}`,
  unsubscribeAll: 'Отписаться от всех рекламных писем',
  unsubscribed: (t) => `Готово: вы больше не будете получать ${t === 'all' ? 'рекламные письма' : ru.purposes[t].accusative}.`,
  nothingToUnsubscribe: 'Вы уже были отписаны.',
  saved: 'Ваши настройки сохранены.',
  topicsLegend: 'О чём нам можно вам писать?',
  topics: {
    cart_reminders: 'напоминания о корзине',
    loyalty: 'предложения программы лояльности',
    recommendations: 'рекомендации товаров',
    newsletter: 'рассылка новостей',
  },
  purposes: {
    cart_reminders: { name: 'напоминания о корзине', accusative: 'напоминания о корзине', genitive: 'напоминаний о корзине' },
    loyalty: {
      name: 'предложения программы лояльности',
      accusative: 'предложения программы лояльности',
      genitive: 'предложений программы лояльности',
    },
    recommendations: { name: 'рекомендации товаров', accusative: 'рекомендации товаров', genitive: 'рекомендаций товаров' },
    newsletter: { name: 'рассылка новостей', accusative: 'рассылку новостей', genitive: 'рассылки новостей' },
    tracking: {
      name: 'отслеживание открытий и переходов',
      accusative: 'отслеживание открытий и переходов',
      genitive: 'отслеживания открытий и переходов',
    },
  },
  tracking: {
    legend: 'Можно ли нам видеть, что вы делаете с нашими письмами?',
    label: 'Разрешаю видеть, когда я открываю ваши письма и по каким ссылкам перехожу',
    hint: 'Без этого в наших письмах нет невидимой картинки и переадресованных ссылок, и мы знаем только, что письмо дошло.',
    on: 'Разрешено: мы видим, когда вы открываете наши письма и по каким ссылкам переходите.',
    off: 'Не разрешено: мы не видим, открываете ли вы наши письма и переходите ли по ссылкам.',
  },
  frequencyLegend: 'Как часто?',
  frequency: { any: 'Когда это полезно (не чаще двух раз в день)', weekly: 'Не чаще раза в неделю', monthly: 'Не чаще раза в месяц' },
  levelLegend: 'Насколько персональными могут быть письма?',
  levels: {
    none: ['Никак', 'Ваши действия в магазине не влияют на наши письма.'],
    basic: ['Базово', 'Мы учитываем вашу корзину и заказы, например, чтобы напомнить о корзине.'],
    full: ['Полностью', 'Мы также учитываем просмотренные товары, чтобы советовать другие.'],
  },
  save: 'Сохранить',
  knowTitle: 'Что мы о вас знаем',
  knowCaption: 'Ваши данные, которые нам передал магазин',
  fields: {
    email: 'Эл. почта',
    firstName: 'Имя',
    lastName: 'Фамилия',
    locale: 'Язык',
    timezone: 'Часовой пояс',
    country: 'Страна',
    tracking: 'Открытия и переходы',
  },
  historyTitle: 'История ваших согласий',
  historyCaption: 'Каждое согласие, отказ и изменение настроек, сначала новые',
  historyColumns: { when: 'Когда', what: 'Что изменилось', how: 'Каким образом' },
  consentChange: (p, status) => (status === 'granted' ? `Согласие на ${ru.purposes[p].accusative}` : `Отказ от ${ru.purposes[p].genitive}`),
  preferenceChange: (field, from, to) =>
    field === 'suppression'
      ? 'Отправка писем на ваш адрес остановлена'
      : `Изменена ${field === 'frequency' ? 'частота писем' : 'персонализация'}: было «${from ?? '—'}», стало «${to}»`,
  sources: {
    checkout: 'при оформлении заказа в магазине',
    api: 'через магазин',
    signup: 'при регистрации в магазине',
    preference_center: 'на этой странице',
    one_click: 'по ссылке для отписки в письме',
    complaint: 'отметив наше письмо как спам',
    bounce: 'потому что письма на ваш адрес не доставлялись',
    erase: 'при удалении ваших данных',
  },
  sourceOther: 'через магазин',
  policy: (v) => {
    const month = monthOf(v, 'ru');
    return month ? `редакция политики конфиденциальности: ${month}` : `редакция текста согласия: «${v}»`;
  },
  noHistory: 'Согласий не записано.',
  dataTitle: 'Ваши данные',
  download: 'Скачать мои данные (JSON)',
  erase: 'Удалить мои данные',
  eraseConfirmTitle: 'Удалить ваши данные?',
  eraseConfirmText:
    'Мы удалим ваши данные, корзины, заказы и историю писем и больше не напишем вам. Останется только запись ваших согласий, ' +
    'которую требует закон, и зашифрованный код адреса, чтобы повторный импорт не подписал вас снова. Это нельзя отменить.',
  eraseConfirm: 'Да, удалить мои данные',
  cancel: 'Отмена',
  erased: 'Ваши данные удалены. Мы больше не напишем вам.',
  invalidLink: 'Ссылка не работает',
  invalidLinkText: 'Ссылка может быть неполной или устаревшей. Воспользуйтесь ссылкой из более нового письма или свяжитесь с магазином.',
  oneClickDone: 'Вы отписаны.',
  addressChanged:
    'Эта ссылка пришла в письме на адрес, которого больше нет в этой учётной записи, или в более старом письме. ' +
    'Ею по-прежнему можно отписаться; чтобы посмотреть или изменить настройки и свои данные, ' +
    'воспользуйтесь ссылкой из более нового письма.',
  support: 'Есть вопросы? Напишите нам:',
  why: {
    title: 'Почему вы получили это письмо',
    intro: 'Вот что мы использовали для этого письма — по нашим записям.',
    campaignTitle: 'Какое это письмо',
    step: (n, of) => `Письмо ${n} из ${of} в этой серии`,
    startedTitle: 'С чего всё началось',
    cartLeft: (count, day) => {
      const items = plural('ru', count, { one: 'товар', few: 'товара', many: 'товаров', other: 'товара' });
      return `${capitalize(day)} вы оставили в корзине ${count} ${items}.`;
    },
    event: (type, day) => `${capitalize(EVENTS_RU[type] ?? 'событие в магазине')}: ${day}.`,
    audience: (group, day) => `Оно отправлено ${day} группе «${group}», в которую вы тогда входили.`,
    fieldsTitle: 'Какие данные в нём использованы',
    fieldsCaption: 'Все ваши данные, которые использовало это письмо, с их текущими значениями',
    fieldsColumns: { field: 'Данные', value: 'Сейчас' },
    fieldLabels: {
      'customer.firstName': 'Ваше имя',
      'customer.lastName': 'Ваша фамилия',
      'cart.items': 'Товары в вашей корзине',
      'cart.itemCount': 'Сколько товаров в корзине',
      'cart.url': 'Ссылка на вашу корзину',
      'cart.updatedAt': 'Когда корзина менялась в последний раз',
      'consent.grantedAt': 'Когда вы согласились на эти письма',
      'incentive.code': 'Код награды для вашего уровня лояльности',
      'incentive.percent': 'Размер этой награды',
      'product.name': 'Товар, который вы смотрели',
      'product.price': 'Его цена',
      'product.currency': 'Его валюта',
      'product.url': 'Ссылка на него',
      'product.imageUrl': 'Его фото',
      recommendations: 'Товары, которые мы посоветовали',
      'loyalty.tier': 'Ваш уровень в программе лояльности',
      'loyalty.points': 'Ваши баллы лояльности',
      'loyalty.pointsExpireAt': 'Когда сгорают баллы',
    },
    fieldOther: 'Другие данные вашего профиля',
    notKept: 'Выбрано при отправке; не хранится',
    noFields: 'Это письмо не использовало ваших данных.',
    levelTitle: 'Насколько оно было персональным',
    level: (name) => `Действующий уровень персонализации: ${name.toLowerCase()}.`,
    changeLevel: 'Изменить, насколько персональными могут быть письма',
    consentTitle: 'На какое согласие мы опирались',
    consent: (p, day, how) => `Согласие на ${ru.purposes[p].accusative}: ${day}, ${how}.`,
    textShown: 'Что вам тогда показали:',
    consentAssumed: 'Записи вашего ответа у нас нет; в вашей стране магазин может писать вам, пока вы не откажетесь.',
    transactional: 'Это письмо о вашем заказе, и маркетинговое согласие для него не нужно.',
    trackingTitle: 'Открытия и переходы',
    trackingOn: 'Отслеживание было включено: мы могли видеть, открыто ли письмо и по каким ссылкам был переход.',
    trackingOff: 'Отслеживание было выключено: в письме не было невидимой картинки и переадресованных ссылок.',
    changeTracking: 'Изменить это для следующих писем',
    linksTitle: 'Ваш выбор',
    preferences: 'Управлять настройками писем',
  },
};

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const PAGE_STRINGS: Record<Locale, PageStrings> = { en, pl, ru };
