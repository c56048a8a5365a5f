// Prettier formats the code (`npm run format`; `npm run lint` checks it).
// Markup inside html`…` templates is left as written: Prettier's HTML reflow changes the whitespace a page
// sends (it split the reports page's lift sentence across lines) and turns `<img …>` into `<img … />`.
export default {
  printWidth: 140,
  singleQuote: true,
  trailingComma: 'all',
  embeddedLanguageFormatting: 'off',
};
