import type { PageStrings } from '../strings';
import { capitalize, monthOf, plural } from './forms';

/** The customers' pages in Polish: a topic's name in the case its sentence needs, counts in their plural category. */

const EVENTS_PL: Record<string, string> = {
  'cart.updated': 'zmiana w Twoim koszyku',
  'order.placed': 'Twoje zamówienie',
  'product.viewed': 'obejrzany przez Ciebie produkt',
  'loyalty.points_changed': 'zmiana Twoich punktów lojalnościowych',
  'customer.upserted': 'założenie konta w sklepie',
  'consent.changed': 'zmiana Twojej zgody',
};

export const pl: PageStrings = {
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
    audienceRule: (rule) => `Kto należy do tej grupy: ${rule}.`,
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
