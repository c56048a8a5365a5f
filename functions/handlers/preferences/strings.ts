import type { Locale, MarketingTopic } from '../../domain/events';

/** The preference center's words, per locale. Plain language: people decide here what we may do. */
export interface PageStrings {
  title: string;
  intro: string;
  unsubscribeTopic: (topic: string) => string;
  unsubscribeAll: string;
  unsubscribed: (topics: string) => string;
  nothingToUnsubscribe: string;
  saved: string;
  topicsLegend: string;
  topics: Record<MarketingTopic, string>;
  frequencyLegend: string;
  frequency: { any: string; weekly: string; monthly: string };
  levelLegend: string;
  levels: { none: [string, string]; basic: [string, string]; full: [string, string] };
  save: string;
  knowTitle: string;
  fields: { email: string; firstName: string; lastName: string; locale: string; timezone: string; country: string };
  historyTitle: string;
  historyGranted: string;
  historyWithdrawn: string;
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
}

const en: PageStrings = {
  title: 'Your email preferences',
  intro: 'You decide what we send you. Changes apply at once, also to emails already planned.',
  unsubscribeTopic: (t) => `Unsubscribe from ${t}`,
  unsubscribeAll: 'Unsubscribe from all marketing email',
  unsubscribed: (t) => `Done: you will not get ${t} any more.`,
  nothingToUnsubscribe: 'You were already unsubscribed.',
  saved: 'Your choices are saved.',
  topicsLegend: 'What may we email you about?',
  topics: { cart_reminders: 'cart reminders', loyalty: 'loyalty offers', recommendations: 'product recommendations', newsletter: 'the newsletter' },
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
  fields: { email: 'Email', firstName: 'First name', lastName: 'Last name', locale: 'Language', timezone: 'Time zone', country: 'Country' },
  historyTitle: 'Your consent history',
  historyGranted: 'agreed to',
  historyWithdrawn: 'withdrew from',
  noHistory: 'No consent recorded.',
  dataTitle: 'Your data',
  download: 'Download my data (JSON)',
  erase: 'Erase my data',
  eraseConfirmTitle: 'Erase your data?',
  eraseConfirmText: 'We delete your details, carts, orders and email history and will not email you again. We keep only the record of your consent choices, which the law asks us to keep, and a scrambled code of your address so a later import cannot sign you up again. This cannot be undone.',
  eraseConfirm: 'Yes, erase my data',
  cancel: 'Cancel',
  erased: 'Your data has been erased. We will not email you again.',
  invalidLink: 'This link does not work',
  invalidLinkText: 'The link may be incomplete or too old. Use the link in a newer email, or contact the shop.',
  oneClickDone: 'You are unsubscribed.',
  addressChanged:
    'This link came in an email to an address that is no longer on this account, or in an older email. ' +
    'It can still unsubscribe you; to see or change your preferences or your data, use the link in a newer email.',
};

const pl: PageStrings = {
  title: 'Twoje ustawienia e-maili',
  intro: 'To Ty decydujesz, co od nas dostajesz. Zmiany działają od razu, także dla zaplanowanych wiadomości.',
  unsubscribeTopic: (t) => `Wypisz się: ${t}`,
  unsubscribeAll: 'Wypisz się ze wszystkich e-maili marketingowych',
  unsubscribed: (t) => `Gotowe: nie dostaniesz już wiadomości (${t}).`,
  nothingToUnsubscribe: 'Już wcześniej się wypisano.',
  saved: 'Zapisano Twoje ustawienia.',
  topicsLegend: 'O czym możemy do Ciebie pisać?',
  topics: { cart_reminders: 'przypomnienia o koszyku', loyalty: 'oferty programu lojalnościowego', recommendations: 'polecane produkty', newsletter: 'newsletter' },
  frequencyLegend: 'Jak często?',
  frequency: { any: 'Tak często, jak to przydatne (nie więcej niż dwa razy dziennie)', weekly: 'Najwyżej raz w tygodniu', monthly: 'Najwyżej raz w miesiącu' },
  levelLegend: 'Jak bardzo osobiste mogą być nasze e-maile?',
  levels: {
    none: ['Wcale', 'Nic z tego, co robisz w sklepie, nie wpływa na nasze e-maile.'],
    basic: ['Podstawowo', 'Korzystamy z tego, co masz w koszyku i co zamówisz, np. by przypomnieć o koszyku.'],
    full: ['W pełni', 'Korzystamy też z oglądanych produktów, by polecać inne.'],
  },
  save: 'Zapisz ustawienia',
  knowTitle: 'Co o Tobie wiemy',
  fields: { email: 'E-mail', firstName: 'Imię', lastName: 'Nazwisko', locale: 'Język', timezone: 'Strefa czasowa', country: 'Kraj' },
  historyTitle: 'Historia Twoich zgód',
  historyGranted: 'zgoda na',
  historyWithdrawn: 'wycofanie zgody na',
  noHistory: 'Brak zapisanych zgód.',
  dataTitle: 'Twoje dane',
  download: 'Pobierz moje dane (JSON)',
  erase: 'Usuń moje dane',
  eraseConfirmTitle: 'Usunąć Twoje dane?',
  eraseConfirmText: 'Usuniemy Twoje dane, koszyki, zamówienia i historię e-maili i nie napiszemy do Ciebie ponownie. Zachowamy tylko zapis Twoich zgód, którego wymaga prawo, oraz zaszyfrowany kod adresu, aby późniejszy import nie zapisał Cię ponownie. Tego nie można cofnąć.',
  eraseConfirm: 'Tak, usuń moje dane',
  cancel: 'Anuluj',
  erased: 'Twoje dane zostały usunięte. Nie napiszemy do Ciebie ponownie.',
  invalidLink: 'Ten link nie działa',
  invalidLinkText: 'Link może być niepełny lub zbyt stary. Użyj linku z nowszej wiadomości albo skontaktuj się ze sklepem.',
  oneClickDone: 'Wypisano Cię.',
  addressChanged:
    'Ten link przyszedł w wiadomości na adres, którego nie ma już na tym koncie, albo w starszej wiadomości. ' +
    'Nadal możesz się nim wypisać; aby zobaczyć lub zmienić ustawienia albo swoje dane, użyj linku z nowszej wiadomości.',
};

const ru: PageStrings = {
  title: 'Настройки писем',
  intro: 'Вы решаете, что мы вам присылаем. Изменения действуют сразу, в том числе для уже запланированных писем.',
  unsubscribeTopic: (t) => `Отписаться: ${t}`,
  unsubscribeAll: 'Отписаться от всех рекламных писем',
  unsubscribed: (t) => `Готово: вы больше не получите письма (${t}).`,
  nothingToUnsubscribe: 'Вы уже были отписаны.',
  saved: 'Ваши настройки сохранены.',
  topicsLegend: 'О чём нам можно вам писать?',
  topics: { cart_reminders: 'напоминания о корзине', loyalty: 'предложения программы лояльности', recommendations: 'рекомендации товаров', newsletter: 'рассылка новостей' },
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
  fields: { email: 'Эл. почта', firstName: 'Имя', lastName: 'Фамилия', locale: 'Язык', timezone: 'Часовой пояс', country: 'Страна' },
  historyTitle: 'История ваших согласий',
  historyGranted: 'согласие на',
  historyWithdrawn: 'отзыв согласия на',
  noHistory: 'Согласий не записано.',
  dataTitle: 'Ваши данные',
  download: 'Скачать мои данные (JSON)',
  erase: 'Удалить мои данные',
  eraseConfirmTitle: 'Удалить ваши данные?',
  eraseConfirmText: 'Мы удалим ваши данные, корзины, заказы и историю писем и больше не напишем вам. Останется только запись ваших согласий, которую требует закон, и зашифрованный код адреса, чтобы повторный импорт не подписал вас снова. Это нельзя отменить.',
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
};

export const PAGE_STRINGS: Record<Locale, PageStrings> = { en, pl, ru };
