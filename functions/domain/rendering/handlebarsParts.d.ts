// Types for the parts of Handlebars' CommonJS build the template compiler loads on their own (see templateCompiler.ts).
declare module 'handlebars/dist/cjs/handlebars/compiler/base' {
  export function parse(input: string): hbs.AST.Program;
}
declare module 'handlebars/dist/cjs/handlebars/compiler/visitor' {
  import type Handlebars from 'handlebars';
  const Visitor: typeof Handlebars.Visitor;
  export = Visitor;
}
declare module 'handlebars/dist/cjs/handlebars/safe-string' {
  import type Handlebars from 'handlebars';
  const SafeString: typeof Handlebars.SafeString;
  export = SafeString;
}
