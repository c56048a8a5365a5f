import Handlebars from 'handlebars';
import { BUILT_IN_BLOCKS, CONDITIONAL_HELPERS, INLINE_HELPERS } from './helpers';
import { sourceLimitProblems, TEMPLATE_LIMITS } from './templateLimits';
import { STRING_KEY_HELPER } from './templateSpecs';

/**
 * The Handlebars templates may use, checked on Handlebars' own AST before a source is precompiled:
 * our helpers and Handlebars' if/unless/each/with/lookup, paths (`a.b`, `this`, `../`, `@root`, block
 * params), `{{else}}` chains, whitespace control, comments, subexpressions, hashes and literals. What it
 * leaves out is refused with its line, which publishing reports: partials and decorators (each template
 * is self-contained, and nothing can call itself), a block over a field (`{{#items}}`), unknown helpers,
 * `@../x`, a block param called as if it were a helper, a hash key given twice.
 */

export class TemplateSyntaxError extends Error {
  override name = 'TemplateSyntaxError';
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `${message} (line ${line})`);
  }
}

type Node = hbs.AST.Node;
type Call = hbs.AST.MustacheStatement | hbs.AST.SubExpression | hbs.AST.BlockStatement;
/** The names block params declare, innermost program first. */
type Scope = readonly (readonly string[])[];

const INLINE: ReadonlySet<string> = new Set(INLINE_HELPERS);
const CONDITIONAL: ReadonlySet<string> = new Set(CONDITIONAL_HELPERS);
const BLOCKS: ReadonlySet<string> = new Set([...BUILT_IN_BLOCKS, ...CONDITIONAL_HELPERS]);
/** Handlebars' scopedId: `./x`, `this.x` (and, as there, `this` anywhere in the path) skip helpers and block params. */
const SCOPED = /^\.|this\b/;

const lineOf = (node: Node): number | undefined => node.loc?.start.line;

function describe(type: string): string {
  return type
    .replace(/Statement$|Expression$|Literal$/, (m) => ` ${m.toLowerCase()}`)
    .replace(/^[A-Z]/, (c) => c.toLowerCase())
    .replace(/Block/, ' block')
    .trim();
}

/** Handlebars' parse (whitespace control included), after the size and nesting limits: its parser is slow on deep nesting. */
export function parseTemplate(source: string): hbs.AST.Program {
  const over = sourceLimitProblems(['template'], source, TEMPLATE_LIMITS.htmlBytes);
  if (over.length) throw new TemplateSyntaxError(`the template ${over.map((p) => p.message).join('; ')}`);
  try {
    return Handlebars.parse(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The parser says "line N" in its message; other errors carry it as lineNumber.
    const line = Number(/line (\d+)/.exec(message)?.[1]) || (error as { lineNumber?: number }).lineNumber || undefined;
    throw new TemplateSyntaxError(message.split('\n')[0]!, line);
  }
}

/** A simple name (`foo`, not `./foo`, `this.foo`, `../foo` or `@foo`): the only kind that can name a helper. */
function simpleName(path: hbs.AST.PathExpression | hbs.AST.Literal): string | undefined {
  if (path.type !== 'PathExpression') return undefined;
  const p = path as hbs.AST.PathExpression;
  return p.parts.length === 1 && !p.data && p.depth === 0 && !SCOPED.test(p.original) ? p.parts[0] : undefined;
}

/**
 * Checks a parsed source against the subset and gives the keys of the strings it calls by a literal
 * key (`{{t "why"}}`), so that publishing can refuse strings that include themselves.
 */
export function checkSubset(ast: hbs.AST.Program): string[] {
  const strings: string[] = [];

  const program = (node: hbs.AST.Program | undefined, scope: Scope): void => {
    if (!node) return;
    const inner = node.blockParams?.length ? [node.blockParams, ...scope] : scope;
    for (const statement of node.body) {
      if (statement.type === 'MustacheStatement') call(statement as hbs.AST.MustacheStatement, inner, true);
      else if (statement.type === 'BlockStatement') block(statement as hbs.AST.BlockStatement, inner);
      else if (statement.type !== 'ContentStatement' && statement.type !== 'CommentStatement')
        throw new TemplateSyntaxError(`${describe(statement.type)} not supported: keep each template self-contained`, lineOf(statement));
    }
  };

  /** A mustache or subexpression: a helper call, or (a bare path with no arguments) a value. */
  const call = (node: hbs.AST.MustacheStatement | hbs.AST.SubExpression, scope: Scope, inMustache: boolean): void => {
    const line = lineOf(node);
    if (node.path.type !== 'PathExpression') throw new TemplateSyntaxError(`a ${describe(node.path.type)} cannot be called`, line);
    const path = node.path as hbs.AST.PathExpression;
    const name = simpleName(path);
    const hasArguments = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0;
    // The helper precompiling puts in computed {{t}} calls is not for templates ({{[string key]}} could name it).
    if (name === STRING_KEY_HELPER) throw new TemplateSyntaxError(`unknown helper "${path.original}"`, line);
    // As in Handlebars, a block param wins over a helper of the same name ({{#each urls as |link|}}{{link}}).
    if (name !== undefined && scope.some((names) => names.includes(name))) {
      if (hasArguments || !inMustache)
        throw new TemplateSyntaxError(`"${name}" is a block param here, not a helper: rename the param`, line);
      return;
    }
    if (name === 'lookup') {
      if (node.params.length !== 2) throw new TemplateSyntaxError('lookup needs an object and a key', line);
      for (const param of node.params) expression(param, scope);
      return;
    }
    if (name !== undefined && INLINE.has(name)) {
      const [key] = node.params;
      if (name === 't' && key?.type === 'StringLiteral') strings.push((key as hbs.AST.StringLiteral).value);
      return callArguments(node, scope);
    }
    if (name !== undefined && BLOCKS.has(name))
      throw new TemplateSyntaxError(`{{${name}}} is a block helper: write {{#${name} …}}…{{/${name}}}`, line);
    if (hasArguments || !inMustache) throw new TemplateSyntaxError(`unknown helper "${path.original}"`, line);
    pathOf(path);
  };

  const callArguments = (node: Call, scope: Scope): void => {
    for (const param of node.params) expression(param, scope);
    const keys = new Set<string>();
    for (const pair of node.hash?.pairs ?? []) {
      if (pair.key === '__proto__') throw new TemplateSyntaxError('a hash cannot be named __proto__', lineOf(pair));
      // Handlebars keeps the first of two, an object literal the last: neither is what anyone meant.
      if (keys.has(pair.key)) throw new TemplateSyntaxError(`${pair.key}= is given twice`, lineOf(pair));
      keys.add(pair.key);
      expression(pair.value, scope);
    }
  };

  const expression = (node: hbs.AST.Expression, scope: Scope): void => {
    if (node.type === 'PathExpression') pathOf(node as hbs.AST.PathExpression);
    else if (node.type === 'SubExpression') call(node as hbs.AST.SubExpression, scope, false);
    else if (!['StringLiteral', 'NumberLiteral', 'BooleanLiteral', 'UndefinedLiteral', 'NullLiteral'].includes(node.type))
      throw new TemplateSyntaxError(`${describe(node.type)} not supported`, lineOf(node));
  };

  const pathOf = (node: hbs.AST.PathExpression): void => {
    if (node.data && node.depth > 0) throw new TemplateSyntaxError(`@../ is not supported: ${node.original}`, lineOf(node));
  };

  const block = (node: hbs.AST.BlockStatement, scope: Scope): void => {
    const line = lineOf(node);
    const path = node.path as hbs.AST.PathExpression;
    const name = simpleName(path) ?? path.original;
    // Only each and with hand values to `as |x|`; a program declaring none keeps the params it is in.
    if ((node.program?.blockParams?.length ?? 0) > 0 && name !== 'each' && name !== 'with')
      throw new TemplateSyntaxError(`#${name} has no block params to give`, line);
    if ((BUILT_IN_BLOCKS as readonly string[]).includes(name)) {
      if (node.params.length !== 1) throw new TemplateSyntaxError(`#${name} needs exactly one argument`, line);
      expression(node.params[0]!, scope);
      const includeZero = node.hash?.pairs.find((p) => p.key === 'includeZero');
      if (includeZero) expression(includeZero.value, scope);
    } else if (CONDITIONAL.has(name) && simpleName(path) !== undefined) callArguments(node, scope);
    else throw new TemplateSyntaxError(`unknown block helper "${path.original}"`, line);
    program(node.program, scope);
    program(node.inverse, scope);
  };

  program(ast, []);
  return strings;
}

/** A string that reaches itself through `{{t "…"}}` would render for ever: refused, with the way round. */
export function refuseSelfInclusion(roots: readonly string[], includes: ReadonlyMap<string, readonly string[]>): void {
  const done = new Set<string>();
  const visit = (key: string, chain: readonly string[]): void => {
    if (chain.includes(key)) throw new TemplateSyntaxError(`string "${key}" includes itself: ${[...chain, key].join(' → ')}`);
    const next = includes.get(key);
    if (done.has(key) || !next) return;
    for (const included of next) visit(included, [...chain, key]);
    done.add(key);
  };
  for (const key of [...roots, ...includes.keys()]) visit(key, []);
}
