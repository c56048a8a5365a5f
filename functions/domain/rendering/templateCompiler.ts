// Handlebars' parser, whitespace control and visitor alone, without its compiler and runtime, which
// generated functions replace: the whole package would be evaluated at every cold start of the send
// function for nothing. Paths into its CommonJS build, whose version package-lock.json pins.
import { parse as parseHandlebars } from 'handlebars/dist/cjs/handlebars/compiler/base';
import Visitor from 'handlebars/dist/cjs/handlebars/compiler/visitor';
import SafeString from 'handlebars/dist/cjs/handlebars/safe-string';
import { sourceLimitProblems, TEMPLATE_LIMITS } from './templateLimits';

/**
 * Compiles the Handlebars subset templates may use into plain JavaScript functions: Handlebars parses
 * (whitespace control included), we generate. Handlebars' own runtime costs more per email than
 * everything else a render does (it copies and re-wraps every helper on each call, wraps every
 * property read and copies the data frame for every #each), and a send renders three templates per
 * email. Generated code holds no text from the template except as JSON string literals and no name
 * except as a JSON-quoted property key, so a template cannot inject code.
 *
 * The semantics are Handlebars 4.7's (non-strict, prototype properties hidden: built-in ones by an
 * own-property check, any added at run time by refusing to render, see pollutedPrototype; `../` skipping blocks
 * that keep their context, `@index/@key/@first/@last`, block params); a test renders the same inputs
 * both ways and compares. One deliberate difference: adjacent numbers in unescaped output are
 * concatenated, where Handlebars 4.7 adds them (handlebars.js#1838: "{{a}}{{b}}" gave "3" for 1 and 2
 * in plain text). What the subset leaves out (partials, decorators, blocks over a field,
 * `@../x`) is refused at compile time with its line, which publishing reports.
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

/** A built-in prototype gained a property at run time: see pollutedPrototype. */
export class PollutedPrototypeError extends Error {
  override name = 'PollutedPrototypeError';
  constructor(readonly property: string) {
    super(`${property} was added at run time (prototype pollution): templates refuse to render until the process restarts`);
  }
}

/**
 * What one render may spend: loop iterations and string calls, and characters of output (each loop
 * body's and string's output counted as it is made, so nested loops count a character once per level).
 * Generous for any real email (a 100-item cart uses a few hundred iterations and well under a tenth of
 * the output) and small enough that a render bomb ends in milliseconds: four nested loops over a
 * 100-item cart, or strings that include each other twice, grow as 100^4 or 2^N.
 */
export const RENDER_BUDGET = { iterations: 10_000, outputChars: 2_000_000 } as const;

/** A render ran out of its budget: the template, not the data, is at fault; a send skips it (`render-budget`). */
export class RenderBudgetError extends Error {
  override name = 'RenderBudgetError';
  constructor(readonly exceeded: 'iterations' | 'output') {
    super(
      exceeded === 'iterations'
        ? `the render went over its budget of ${RENDER_BUDGET.iterations.toLocaleString('en')} loop iterations and string calls`
        : `the render went over its budget of ${RENDER_BUDGET.outputChars.toLocaleString('en')} characters of output`,
    );
  }
}

/** What is left of one render's budget, shared by everything it renders (subject, HTML, text, strings). */
export class RenderBudget {
  iterations: number = RENDER_BUDGET.iterations;
  outputChars: number = RENDER_BUDGET.outputChars;
}

/** Spends one iteration and `chars` of output from a render's budget; for helpers that render strings, too. */
export function spend(budget: RenderBudget, chars: number): void {
  if (--budget.iterations < 0) throw new RenderBudgetError('iterations');
  if ((budget.outputChars -= chars) < 0) throw new RenderBudgetError('output');
}

/** What every render carries beside its context: `@locale` and friends, and what helpers need. */
export interface TemplateData {
  root?: unknown;
  /** Set by compile() when the caller gave none: every call of a template has one. */
  budget?: RenderBudget;
  [name: string]: unknown;
}

export type TemplateFunction = (context: unknown, data: TemplateData) => string;

/** An inline helper: `{{name arg1 arg2 key=value}}`. Its result is escaped unless it is SafeHtml. */
export type InlineHelper = (args: unknown[], hash: Record<string, unknown>, data: TemplateData) => unknown;
/** A block helper beside if/unless/each/with: chooses its body (true) or its else (false), same context. */
export type ConditionalHelper = (args: unknown[], hash: Record<string, unknown>, data: TemplateData) => boolean;

export interface CompileOptions {
  /** HTML escaping of `{{value}}` (off for subjects and plain text, where "&amp;" would show). */
  escape: boolean;
  /**
   * Sources compiled into the template in place of `{{helper "key"}}` (a literal key, no hash), run
   * against the root context: a locale's strings, without a helper call per string per email.
   * Other calls of that helper stay calls.
   */
  inlined?: { helper: string; sources: Readonly<Record<string, string>> };
  inline: Readonly<Record<string, InlineHelper>>;
  conditional: Readonly<Record<string, ConditionalHelper>>;
}

export const SafeHtml = SafeString;
export const BUILT_IN_BLOCKS = ['if', 'unless', 'each', 'with'] as const;
export const BUILT_IN_INLINE = ['lookup'] as const;

/**
 * Where a program runs: the render's data, the distinct contexts above it (for `../`), its block params
 * and the innermost #each's position. Handlebars copies the whole data frame for every #each and adds
 * the position to it; kept apart, a loop costs one small object instead.
 */
interface Frame {
  data: TemplateData;
  depths: readonly unknown[];
  params: readonly (readonly unknown[])[];
  loop: Loop | undefined;
}

/** `@key`, `@index`, `@first` and `@last`: updated in place as the loop moves on, as in Handlebars. */
interface Loop {
  key: string | number;
  index: number;
  first: boolean;
  last: boolean;
}
const LOOP_VARIABLES = new Set(['key', 'index', 'first', 'last']);

type Program = (context: unknown, frame: Frame) => string;

const hasOwn = Object.prototype.hasOwnProperty;
const NO_DEPTHS: readonly unknown[] = [];
const NO_PARAMS: readonly (readonly unknown[])[] = [];
const NO_HASH: Readonly<Record<string, unknown>> = Object.freeze({});

const ESCAPABLE = /[&<>"'`=]/;
/** Handlebars' entities, by character code. */
const ENTITIES: readonly (string | undefined)[] = (() => {
  const entities: (string | undefined)[] = [];
  for (const [char, entity] of Object.entries({
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#x27;',
    '`': '&#x60;',
    '=': '&#x3D;',
  }))
    entities[char.charCodeAt(0)] = entity;
  return entities;
})();

/**
 * Text with Handlebars' entities: found with one regular-expression search, then replaced in a loop
 * from there. A replace with a callback, as Handlebars does it, costs twice as much on a link with a
 * query string, and every tracked link has one.
 */
function escapeText(text: string): string {
  const first = text.search(ESCAPABLE);
  if (first < 0) return text;
  let out = '';
  let from = 0;
  for (let i = first; i < text.length; i++) {
    const entity = ENTITIES[text.charCodeAt(i)];
    if (entity === undefined) continue;
    out += text.slice(from, i) + entity;
    from = i + 1;
  }
  return out + text.slice(from);
}

/**
 * Handlebars' escapeExpression: SafeHtml as it is, null and undefined as nothing, anything else as
 * escaped text; the common cases first (a number never needs escaping).
 */
export function escapeHtml(value: unknown): string {
  if (typeof value === 'string') return escapeText(value);
  if (typeof value === 'number') return '' + value;
  if (value && (value as { toHTML?: () => string }).toHTML) return (value as { toHTML: () => string }).toHTML();
  if (value == null) return '';
  return escapeText('' + (value as string));
}

/**
 * Every name an object in a context could inherit (`constructor`, `toString`, `length`, `size`, …).
 * Contexts are data, what JSON and DynamoDB give (objects, arrays, strings, numbers, booleans, sets,
 * bytes), and dates. Only these names need Handlebars' own-property check on an object; any other
 * name is read directly, which V8 caches per read (`name` is not among them: only functions and
 * errors inherit one). Reads from a string, number or boolean always take the check.
 */
const OBJECT_PROTOTYPES: readonly object[] = [Object, Array, Set, Uint8Array, Date].map((type) => type.prototype as object);

const INHERITED: ReadonlySet<string> = (() => {
  const names = new Set<string>(['__proto__']);
  for (const sample of [...OBJECT_PROTOTYPES, SafeHtml.prototype as object])
    for (let proto: object | null = sample; proto; proto = Object.getPrototypeOf(proto) as object | null)
      for (const name of Object.getOwnPropertyNames(proto)) names.add(name);
  return names;
})();

/**
 * Names outside INHERITED are read directly from objects, so a property added at run time to the
 * prototype of one (prototype pollution, by a bug elsewhere in the process) would show in every
 * email, where Handlebars hides it. Pollution by assignment is enumerable, which built-ins are not:
 * each template call checks (for...in over each prototype, a few nanoseconds each) and refuses
 * rather than show it.
 */
export function pollutedPrototype(): string | undefined {
  for (const prototype of OBJECT_PROTOTYPES)
    for (const name in prototype) return `${(prototype as { constructor: { name: string } }).constructor.name}.prototype.${name}`;
  return undefined;
}

/** Handlebars' scopedId: `./x`, `this.x` (and, as there, `this` anywhere in the path) skip helpers and block params. */
const SCOPED = /^\.|this\b/;

/** What generated code calls: small functions with Handlebars' semantics. */
const runtime = {
  /** Handlebars' lookupProperty: own properties only, so `constructor` or `__proto__` read as nothing. */
  property(parent: unknown, name: string): unknown {
    if (parent == null) return parent;
    const value = (parent as Record<string, unknown>)[name];
    if (value == null) return value;
    return hasOwn.call(parent, name) ? value : undefined;
  },
  /** A step of an @-path: Handlebars walks those with &&, so through 0 or false too. */
  dataProperty(parent: unknown, name: string): unknown {
    return parent && runtime.property(parent, name);
  },
  escape: escapeHtml,
  /** Unescaped output: joined as text (Handlebars 4.7 would add two adjacent numbers). */
  text(value: unknown): string {
    return value == null ? '' : '' + (value as string);
  },
  /** Handlebars' isEmpty: what `if` and `with` treat as absent. */
  isEmpty(value: unknown): boolean {
    return (!value && value !== 0) || (Array.isArray(value) && value.length === 0);
  },
  lookup(target: unknown, key: unknown): unknown {
    return target ? runtime.property(target, key as string) : target;
  },
  blockParam(frame: Frame, level: number, index: number): unknown {
    return frame.params[level]?.[index];
  },
  loopVariable(frame: Frame, name: keyof Loop): unknown {
    // Outside any #each, these are whatever the caller's data holds (usually nothing).
    return frame.loop ? frame.loop[name] : runtime.property(frame.data, name);
  },
  NO_HASH,
  /** A program entered with a new context: `../` counts only contexts that differ, as in Handlebars. */
  enter(frame: Frame, context: unknown, loop: Loop | undefined, params: readonly unknown[] | undefined, useDepths: boolean): Frame {
    // Loose on purpose: Handlebars compares with != here.
    const same = !useDepths || context == frame.depths[0];
    return {
      data: frame.data,
      depths: same ? frame.depths : [context, ...frame.depths],
      params: params ? [params, ...frame.params] : frame.params,
      loop,
    };
  },
  /** A string compiled in that climbs with `../`: it reads the root context, with the caller's data and loop. */
  atRoot(frame: Frame): Frame {
    return { data: frame.data, depths: [frame.data.root], params: NO_PARAMS, loop: frame.loop };
  },
  /** A string called as a function: one call and its output, from the render's budget. */
  called(output: string, frame: Frame): string {
    spend(frame.data.budget!, output.length);
    return output;
  },
  /** #each: the items' output, or null where Handlebars runs the else (nothing to iterate). */
  each(items: unknown, frame: Frame, body: Program, declares: boolean, useDepths: boolean): string | null {
    if (!items || typeof items !== 'object') return null;
    let keys: string[] | undefined;
    let values: readonly unknown[];
    if (Array.isArray(items)) values = items;
    else if (typeof (items as Iterable<unknown>)[Symbol.iterator] === 'function') values = [...(items as Iterable<unknown>)];
    else values = (keys = Object.keys(items)).map((key) => (items as Record<string, unknown>)[key]);
    const count = values.length;
    if (count === 0) return null;
    const loop: Loop = { key: 0, index: 0, first: true, last: false };
    const shared: Frame | undefined =
      declares || useDepths ? undefined : { data: frame.data, depths: frame.depths, params: frame.params, loop };
    const budget = frame.data.budget!;
    let out = '';
    for (let i = 0; i < count; i++) {
      if (!keys && values[i] === undefined && !(i in values)) continue; // a hole in a sparse array, skipped as Handlebars does
      const key = keys ? keys[i]! : i;
      loop.key = key;
      loop.index = i;
      loop.first = i === 0;
      loop.last = i === count - 1;
      const item = body(values[i], shared ?? runtime.enter(frame, values[i], loop, declares ? [values[i], key] : undefined, useDepths));
      spend(budget, item.length);
      out += item;
    }
    return out;
  },
};

/** The names block params declare, innermost program first: resolved at compile time to [level, index]. */
type Scope = readonly (readonly string[])[];

export function compile(source: string, options: CompileOptions): TemplateFunction {
  const { code, useDepths } = generate(source, options);
  // The source is ours; see the top of this file.
  const program = new Function('rt', 'H', 'C', code)(runtime, options.inline, options.conditional) as Program;
  return (context, data) => {
    const polluted = pollutedPrototype();
    if (polluted) throw new PollutedPrototypeError(polluted);
    // As Handlebars does: @root is the context the template was called with, unless the caller set it.
    // A caller that gave no budget gets one for this call.
    const withRoot = 'root' in data && data.budget ? data : { root: context, ...data, budget: data.budget ?? new RenderBudget() };
    return program(context, { data: withRoot, depths: useDepths ? [context] : NO_DEPTHS, params: NO_PARAMS, loop: undefined });
  };
}

/** The JavaScript a source compiles to (the body of a function of rt, H and C returning the main program); shown for debugging and checked by tests. */
export function generate(source: string, options: CompileOptions): { code: string; useDepths: boolean } {
  const ast = parse(source);
  const unit = new Unit(options);
  const useDepths = readsParents(ast);
  const main = unit.program(ast, [], useDepths);
  return { code: `"use strict";\n${unit.code.join('\n')}\nreturn ${main};`, useDepths };
}

function parse(source: string): hbs.AST.Program {
  // Nesting makes Handlebars' parser slow and deep: measured first, without it.
  const over = sourceLimitProblems(['template'], source, TEMPLATE_LIMITS.htmlBytes);
  if (over.length) throw new TemplateSyntaxError(`the template ${over.map((p) => p.message).join('; ')}`);
  try {
    return parseHandlebars(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The parser says "line N" in its message; other errors carry it as lineNumber.
    const line = Number(/line (\d+)/.exec(message)?.[1]) || (error as { lineNumber?: number }).lineNumber || undefined;
    throw new TemplateSyntaxError(message.split('\n')[0]!, line);
  }
}

/** Whether any path climbs with `../`: only then are parent contexts kept (Handlebars' useDepths). */
function readsParents(ast: hbs.AST.Program): boolean {
  let found = false;
  const visitor = new Visitor();
  visitor.PathExpression = (path: hbs.AST.PathExpression) => {
    if (path.depth > 0) found = true;
  };
  visitor.accept(ast);
  return found;
}

const quote = (text: string): string => JSON.stringify(text);
const LITERALS: ReadonlySet<string> = new Set(['StringLiteral', 'NumberLiteral', 'BooleanLiteral', 'UndefinedLiteral', 'NullLiteral']);

/**
 * `base.a.b` as Handlebars reads it, as one expression: it stops at the first null or undefined and
 * sees own properties only (a primitive's through rt.property). Reads run one after another, never inside each other, so each program's
 * one temporary `t` serves all of them.
 */
function read(base: string, keys: readonly string[]): string {
  if (keys.length === 0) return base;
  const step = (key: string): string =>
    INHERITED.has(key) ? `rt.property(t, ${quote(key)})` : `(typeof t === "object" ? t[${quote(key)}] : rt.property(t, ${quote(key)}))`;
  const guards = [`(t = ${base}) == null`, ...keys.slice(0, -1).map((key) => `(t = ${step(key)}) == null`)];
  return `(${guards.join(' || ')} ? t : ${step(keys[keys.length - 1]!)})`;
}

/** How often one string is written in place before it becomes a function. */
const EXPANSIONS_PER_STRING = 8;

/** A string compiled in, parsed once per source. */
interface InlinedString {
  name: string;
  ast: hbs.AST.Program;
  useDepths: boolean;
}

/**
 * One compiled source: a function per program (`x` is its context, `f` its frame), with in place the
 * bodies of blocks that keep their context and the strings compiled in, which read the root context
 * (`f.data.root`). A string that climbs with `../` is a function of its own, given a frame at the root.
 */
class Unit {
  readonly code: string[] = [];
  private names = 0;
  /** What a path without `../` starts from: the program's context, or the root inside a string. */
  private context = 'x';
  private readonly parsed = new Map<string, InlinedString>();
  private readonly functions = new Map<string, string>();
  private readonly expansions = new Map<string, number>();

  constructor(private readonly options: CompileOptions) {}

  private fresh(prefix: string): string {
    return `${prefix}${this.names++}`;
  }

  /** Emits a function for the program and returns its name. */
  program(node: hbs.AST.Program | undefined, scope: Scope, useDepths: boolean, including: readonly string[] = []): string {
    const name = this.fresh('p');
    const inner = node?.blockParams?.length ? [node.blockParams, ...scope] : scope;
    const outer = this.context;
    this.context = 'x';
    const body = node ? this.statements(node.body, inner, useDepths, including) : '';
    this.context = outer;
    this.code.push(`function ${name}(x, f) {\nlet o = "", t;\n${body}return o;\n}`);
    return name;
  }

  private statements(body: hbs.AST.Statement[], scope: Scope, useDepths: boolean, including: readonly string[]): string {
    const out = { code: '', content: '' };
    this.emit(body, scope, useDepths, including, out);
    return out.content ? `${out.code}o += ${quote(out.content)};\n` : out.code;
  }

  /** Adjacent text, a string's included, is joined into one literal. */
  private emit(
    body: hbs.AST.Statement[],
    scope: Scope,
    useDepths: boolean,
    including: readonly string[],
    out: { code: string; content: string },
  ): void {
    for (const node of body) {
      if (node.type === 'ContentStatement') out.content += (node as hbs.AST.ContentStatement).value;
      else if (node.type !== 'CommentStatement') {
        const string = node.type === 'MustacheStatement' ? this.inlined(node as hbs.AST.MustacheStatement, including) : undefined;
        if (string && !string.useDepths && this.expandOnceMore(string.name)) {
          const outer = this.context;
          this.context = 'f.data.root';
          this.emit(string.ast.body, [], false, [...including, string.name], out);
          this.context = outer;
          continue;
        }
        const statement = string ? this.stringFunction(string, including) : this.statement(node, scope, useDepths, including);
        if (statement) {
          if (out.content) out.code += `o += ${quote(out.content)};\n`;
          out.content = '';
          out.code += statement;
        }
      }
    }
  }

  private statement(node: hbs.AST.Statement, scope: Scope, useDepths: boolean, including: readonly string[]): string {
    switch (node.type) {
      case 'MustacheStatement':
        return this.mustache(node as hbs.AST.MustacheStatement, scope);
      case 'BlockStatement':
        return this.block(node as hbs.AST.BlockStatement, scope, useDepths, including);
      default:
        throw new TemplateSyntaxError(`${describe(node.type)} not supported: keep each template self-contained`, node.loc?.start.line);
    }
  }

  /** `{{t "key"}}` with the key's source compiled in (a literal key, no hash): that source, parsed. */
  private inlined(node: hbs.AST.MustacheStatement, including: readonly string[]): InlinedString | undefined {
    const inlined = this.options.inlined;
    const path = node.path as hbs.AST.PathExpression;
    const [key] = node.params;
    if (
      !inlined ||
      path.type !== 'PathExpression' ||
      path.original !== inlined.helper ||
      node.params.length !== 1 ||
      node.hash ||
      key?.type !== 'StringLiteral'
    )
      return undefined;
    const name = (key as hbs.AST.StringLiteral).value;
    const source = hasOwn.call(inlined.sources, name) ? inlined.sources[name] : undefined;
    if (source === undefined) return undefined; // the helper call reports it, at render time
    if (including.includes(name))
      throw new TemplateSyntaxError(`string "${name}" includes itself: ${[...including, name].join(' → ')}`, node.loc?.start.line);
    let string = this.parsed.get(name);
    if (!string) {
      const ast = parse(source);
      this.parsed.set(name, (string = { name, ast, useDepths: readsParents(ast) }));
    }
    return string;
  }

  /**
   * Whether a string may be written in place once more. Strings that include each other several times
   * would grow the code exponentially; past a few uses, a string is called instead.
   */
  private expandOnceMore(name: string): boolean {
    const uses = (this.expansions.get(name) ?? 0) + 1;
    this.expansions.set(name, uses);
    return uses <= EXPANSIONS_PER_STRING;
  }

  /** A string as a function of its own (it climbs with `../`, or is used often), called with a frame whose only depth is the root. */
  private stringFunction(string: InlinedString, including: readonly string[]): string {
    let name = this.functions.get(string.name);
    if (!name) this.functions.set(string.name, (name = this.program(string.ast, [], true, [...including, string.name])));
    return `o += rt.called(${name}(f.data.root, rt.atRoot(f)), f);\n`;
  }

  private mustache(node: hbs.AST.MustacheStatement, scope: Scope): string {
    const value = this.call(node, scope, true);
    return this.options.escape && node.escaped ? `o += rt.escape(${value});\n` : `o += rt.text(${value});\n`;
  }

  /** A mustache or subexpression: a helper call, or (a bare path with no arguments) a value. */
  private call(node: hbs.AST.MustacheStatement | hbs.AST.SubExpression, scope: Scope, inMustache: boolean): string {
    const line = node.loc?.start.line;
    if (node.path.type !== 'PathExpression') throw new TemplateSyntaxError(`a ${describe(node.path.type)} cannot be called`, line);
    const path = node.path as hbs.AST.PathExpression;
    const simple = path.parts.length === 1 && !path.data && path.depth === 0 && !SCOPED.test(path.original);
    const name = path.parts[0]!;
    const hasArguments = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0;
    // As in Handlebars, a block param wins over a helper of the same name ({{#each urls as |link|}}{{link}}).
    if (simple && scope.some((names) => names.includes(name))) {
      if (hasArguments || !inMustache)
        throw new TemplateSyntaxError(`"${name}" is a block param here, not a helper: rename the param`, line);
      return this.path(path, scope);
    }
    if (simple && name === 'lookup') {
      if (node.params.length !== 2) throw new TemplateSyntaxError('lookup needs an object and a key', line);
      const [target, key] = node.params.map((p) => this.expression(p, scope)) as [string, string];
      return `rt.lookup(${target}, ${key})`;
    }
    if (simple && hasOwn.call(this.options.inline, name)) return `H[${quote(name)}](${this.arguments(node, scope)}, f.data)`;
    if (simple && (BUILT_IN_BLOCKS as readonly string[]).includes(name))
      throw new TemplateSyntaxError(`{{${name}}} is a block helper: write {{#${name} …}}…{{/${name}}}`, line);
    if (hasArguments || !inMustache) throw new TemplateSyntaxError(`unknown helper "${path.original}"`, line);
    return this.path(path, scope);
  }

  /** A helper's arguments and hash, as generated code: `[a, b], {"alt": c}`. */
  private arguments(node: hbs.AST.MustacheStatement | hbs.AST.SubExpression | hbs.AST.BlockStatement, scope: Scope): string {
    const args = node.params.map((p) => this.expression(p, scope));
    const pairs = node.hash?.pairs ?? [];
    const keys = new Set<string>();
    for (const pair of pairs) {
      if (pair.key === '__proto__') throw new TemplateSyntaxError('a hash cannot be named __proto__', pair.loc?.start.line);
      // Handlebars keeps the first of two, an object literal the last: neither is what anyone meant.
      if (keys.has(pair.key)) throw new TemplateSyntaxError(`${pair.key}= is given twice`, pair.loc?.start.line);
      keys.add(pair.key);
    }
    // Helpers only read the hash: one shared empty one, and one made at compile time for a hash of
    // literals ({{plural n one="item" other="items"}}), save an allocation per call.
    if (pairs.length === 0) return `[${args.join(', ')}], rt.NO_HASH`;
    const hash = `{${pairs.map((p) => `${quote(p.key)}: ${this.expression(p.value, scope)}`).join(', ')}}`;
    if (!pairs.every((p) => LITERALS.has(p.value.type))) return `[${args.join(', ')}], ${hash}`;
    const constant = this.fresh('k');
    this.code.push(`const ${constant} = Object.freeze(${hash});`);
    return `[${args.join(', ')}], ${constant}`;
  }

  private expression(node: hbs.AST.Expression, scope: Scope): string {
    switch (node.type) {
      case 'PathExpression':
        return this.path(node as hbs.AST.PathExpression, scope);
      case 'SubExpression':
        return this.call(node as hbs.AST.SubExpression, scope, false);
      case 'StringLiteral':
        return quote((node as hbs.AST.StringLiteral).value);
      case 'NumberLiteral':
        return `(${Number((node as hbs.AST.NumberLiteral).value)})`;
      case 'BooleanLiteral':
        return (node as hbs.AST.BooleanLiteral).value ? 'true' : 'false';
      case 'UndefinedLiteral':
        return 'undefined';
      case 'NullLiteral':
        return 'null';
      default:
        throw new TemplateSyntaxError(`${describe(node.type)} not supported`, node.loc?.start.line);
    }
  }

  private path(node: hbs.AST.PathExpression, scope: Scope): string {
    const parts = node.parts;
    const line = node.loc?.start.line;
    if (node.data) {
      if (node.depth > 0) throw new TemplateSyntaxError(`@../ is not supported: ${node.original}`, line);
      const [head, ...rest] = parts as [string, ...string[]];
      // Handlebars walks @-paths with &&: through 0 or false, {{@root.zero.x}} shows the 0.
      const base = LOOP_VARIABLES.has(head) ? `rt.loopVariable(f, ${quote(head)})` : `rt.property(f.data, ${quote(head)})`;
      return rest.reduce((code, key) => `rt.dataProperty(${code}, ${quote(key)})`, base);
    }
    const scoped = SCOPED.test(node.original);
    if (!scoped && node.depth === 0 && parts.length > 0) {
      const level = scope.findIndex((names) => names.includes(parts[0]!));
      if (level >= 0) return read(`rt.blockParam(f, ${level}, ${scope[level]!.indexOf(parts[0]!)})`, parts.slice(1));
    }
    return read(node.depth === 0 ? this.context : `f.depths[${Number(node.depth)}]`, parts);
  }

  private block(node: hbs.AST.BlockStatement, scope: Scope, useDepths: boolean, including: readonly string[]): string {
    const line = node.loc?.start.line;
    const path = node.path as hbs.AST.PathExpression;
    const name = path.type === 'PathExpression' && path.parts.length === 1 && !path.data ? path.parts[0]! : path.original;
    // Only each and with hand values to `as |x|`; a program declaring none keeps the params it is in.
    const declares = (node.program?.blockParams?.length ?? 0) > 0;
    if (declares && name !== 'each' && name !== 'with') throw new TemplateSyntaxError(`#${name} has no block params to give`, line);
    // Bodies that keep the context are written in place; those that change it are functions.
    const inPlace = (program: hbs.AST.Program | undefined): string =>
      program ? this.statements(program.body, scope, useDepths, including) : '';
    const one = (): string => {
      if (node.params.length !== 1) throw new TemplateSyntaxError(`#${name} needs exactly one argument`, line);
      return this.expression(node.params[0]!, scope);
    };
    const v = this.fresh('v');
    switch (name) {
      case 'if':
      case 'unless': {
        const value = one();
        const [then, otherwise] = name === 'if' ? [node.program, node.inverse] : [node.inverse, node.program];
        const includeZero = node.hash?.pairs.find((p) => p.key === 'includeZero');
        const absent = includeZero
          ? `(!(${this.expression(includeZero.value, scope)}) && !${v}) || rt.isEmpty(${v})`
          : `!${v} || rt.isEmpty(${v})`;
        return `{\nconst ${v} = ${value};\nif (${absent}) {\n${inPlace(otherwise)}} else {\n${inPlace(then)}}\n}\n`;
      }
      case 'with': {
        const value = one();
        const body = this.program(node.program, scope, useDepths, including);
        return `{\nconst ${v} = ${value};\nif (rt.isEmpty(${v})) {\n${inPlace(node.inverse)}} else o += ${body}(${v}, rt.enter(f, ${v}, f.loop, ${declares ? `[${v}]` : 'undefined'}, ${useDepths}));\n}\n`;
      }
      case 'each': {
        const value = one();
        const body = this.program(node.program, scope, useDepths, including);
        return `{\nconst ${v} = rt.each(${value}, f, ${body}, ${declares}, ${useDepths});\nif (${v} === null) {\n${inPlace(node.inverse)}} else o += ${v};\n}\n`;
      }
      default: {
        if (!hasOwn.call(this.options.conditional, name) || path.type !== 'PathExpression')
          throw new TemplateSyntaxError(`unknown block helper "${path.original}"`, line);
        return `if (C[${quote(name)}](${this.arguments(node, scope)}, f.data)) {\n${inPlace(node.program)}} else {\n${inPlace(node.inverse)}}\n`;
      }
    }
  }
}

function describe(type: string): string {
  return type
    .replace(/Statement$|Expression$|Literal$/, (m) => ` ${m.toLowerCase()}`)
    .replace(/^[A-Z]/, (c) => c.toLowerCase())
    .replace(/Block/, ' block')
    .trim();
}
