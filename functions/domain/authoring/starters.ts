import type { TemplateParts } from './draftParts';

/**
 * What "New template" starts from when it does not copy another template: a short message that
 * validates as it is (the footer every marketing email needs, three locales, a sample), for the
 * marketer to make their own.
 */

const FOOTER = `    <mj-section padding="16px 24px">
      <mj-column>
        <mj-text font-size="12px" line-height="18px" color="#52606d">{{t "why"}}</mj-text>
        <mj-text font-size="12px" line-height="18px" color="#52606d">
          <a href="{{links.unsubscribe}}" style="color:#52606d">{{t "unsubscribe"}}</a> ·
          <a href="{{links.preferences}}" style="color:#52606d">{{t "preferences"}}</a> ·
          <a href="{{links.why}}" style="color:#52606d">{{t "whyLink"}}</a>
        </mj-text>
        <mj-text font-size="12px" line-height="18px" color="#52606d"
          >{{shop.name}}{{#if shop.postalAddress}}, {{shop.postalAddress}}{{/if}}</mj-text
        >
      </mj-column>
    </mj-section>`;

const MJML = `<mjml lang="{{@locale}}">
  <mj-head>
    <mj-title>{{t "subject"}}</mj-title>
    <mj-preview>{{t "preheader"}}</mj-preview>
    <mj-attributes>
      <mj-all font-family="Helvetica, Arial, sans-serif" />
      <mj-text font-size="16px" line-height="24px" color="#1f2933" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#f4f5f7">
    <mj-section background-color="#ffffff" padding="24px">
      <mj-column>
        <mj-text font-size="20px" font-weight="bold">{{shop.name}}</mj-text>
        <mj-text>{{t "greeting"}}</mj-text>
        <mj-text>{{t "body"}}</mj-text>
      </mj-column>
    </mj-section>
${FOOTER}
  </mj-body>
</mjml>
`;

const TEXT = `{{t "greeting"}}

{{t "body"}}

--
{{t "why"}}
{{t "unsubscribe"}}: {{links.unsubscribe}}
{{t "preferences"}}: {{links.preferences}}
{{t "whyLink"}}: {{links.why}}
{{shop.name}}{{#if shop.postalAddress}}, {{shop.postalAddress}}{{/if}}
`;

export interface Starter {
  id: string;
  title: string;
  parts: TemplateParts;
}

export const STARTERS: readonly Starter[] = [
  {
    id: 'simple-message',
    title: 'A simple message: a greeting, a paragraph and the footer',
    parts: {
      mjml: MJML,
      text: TEXT,
      description: 'A short message to customers who agreed to the newsletter.',
      fields: {
        'customer.firstName': { type: 'string', level: 'none', required: true, description: 'greeting' },
        'consent.grantedAt': { type: 'date', level: 'none', description: "the footer's why-you-got-this" },
      },
      locales: {
        en: {
          subject: 'News from {{shop.name}}',
          preheader: 'A short note for {{customer.firstName}}.',
          strings: {
            greeting: 'Hi {{customer.firstName}},',
            body: 'here is what is new at {{shop.name}}.',
            why: 'Why this email: you agreed to our newsletter{{#if consent.grantedAt}} on {{date consent.grantedAt}}{{/if}}.',
            unsubscribe: 'Unsubscribe from the newsletter',
            preferences: 'Email preferences',
            whyLink: 'Why did I get this?',
          },
        },
        pl: {
          subject: 'Nowości w sklepie {{shop.name}}',
          preheader: 'Krótka wiadomość dla {{customer.firstName}}.',
          strings: {
            greeting: 'Cześć {{customer.firstName}},',
            body: 'oto co nowego w sklepie {{shop.name}}.',
            why:
              'Dlaczego ten e-mail: newsletter jest przez Ciebie włączony' +
              '{{#if consent.grantedAt}} (od {{date consent.grantedAt}}){{/if}}.',
            unsubscribe: 'Wypisz się z newslettera',
            preferences: 'Ustawienia e-maili',
            whyLink: 'Dlaczego dostaję tę wiadomość?',
          },
        },
        ru: {
          subject: 'Новости магазина {{shop.name}}',
          preheader: 'Короткое письмо для {{customer.firstName}}.',
          strings: {
            greeting: 'Здравствуйте, {{customer.firstName}}!',
            body: 'Вот что нового в магазине {{shop.name}}.',
            why: 'Почему вы получили это письмо: вы подписаны на рассылку{{#if consent.grantedAt}} ({{date consent.grantedAt}}){{/if}}.',
            unsubscribe: 'Отписаться от рассылки',
            preferences: 'Настройки писем',
            whyLink: 'Почему мне пришло это письмо?',
          },
        },
      },
      samples: {
        default: {
          description: 'A subscriber',
          level: 'basic',
          data: { customer: { firstName: 'Marek' }, consent: { grantedAt: '2026-10-03T09:12:00Z' } },
        },
      },
    },
  },
];
