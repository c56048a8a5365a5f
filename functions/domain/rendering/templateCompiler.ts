import Handlebars from 'handlebars';

/**
 * Compiles the Handlebars subset templates may use into plain closures: Handlebars parses (whitespace
 * control included), we evaluate. Handlebars' own runtime costs more per email than everything else
 * a render does (it copies and re-wraps every helper on each call, and wraps every property read), and
 * a send renders three templates per email. No code is generated, so a template cannot inject any.
 *
 * The semantics are Handlebars 4.7's (non-strict, prototype properties hidden, `../` skipping blocks
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

/** What every render carries beside its context: `@locale` and friends, and what helpers need. */
export interface TemplateData {
  root?: unknown;
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

export const SafeHtml = Handlebars.SafeString;
export const escapeHtml = Handlebars.Utils.escapeExpression;
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

type Part = string | ((context: unknown, frame: Frame) => string);
type Program = (context: unknown, frame: Frame) => string;
type Expression = (context: unknown, frame: Frame) => unknown;

const hasOwn = Object.prototype.hasOwnProperty;

/** Handlebars' lookupProperty: own properties only, so `constructor` or `__proto__` read as nothing. */
function property(parent: unknown, name: string): unknown {
  if (parent == null) return parent;
  const value = (parent as Record<string, unknown>)[name];
  if (value == null) return value;
  return hasOwn.call(parent, name) ? value : undefined;
}

/** Handlebars' isEmpty: what `if` and `with` treat as absent. */
function isEmpty(value: unknown): boolean {
  return (!value && value !== 0) || (Array.isArray(value) && value.length === 0);
}

const noop: Program = () => '';

/** The names block params declare, innermost program first: resolved at compile time to [level, index]. */
type Scope = readonly (readonly string[])[];

export function compile(source: string, options: CompileOptions): TemplateFunction {
  const ast = parse(source);
  const compiler = new Compiler(options, readsParents(ast));
  const program = compiler.program(ast, []);
  return (context, data) => {
    // As Handlebars does: @root is the context the template was called with, unless the caller set it.
    const withRoot = 'root' in data ? data : { ...data, root: context };
    return program(context, { data: withRoot, depths: compiler.useDepths ? [context] : NO_DEPTHS, params: NO_PARAMS, loop: undefined });
  };
}

function parse(source: string): hbs.AST.Program {
  try {
    return Handlebars.parse(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new TemplateSyntaxError(message.split('\n')[0]!, Number(/line (\d+)/.exec(message)?.[1]) || undefined);
  }
}

const NO_DEPTHS: readonly unknown[] = [];
const NO_PARAMS: readonly (readonly unknown[])[] = [];
const NO_HASH: Readonly<Record<string, unknown>> = Object.freeze({});

/** Whether any path climbs with `../`: only then are parent contexts kept (Handlebars' useDepths). */
function readsParents(ast: hbs.AST.Program): boolean {
  let found = false;
  const visitor = new Handlebars.Visitor();
  visitor.PathExpression = (path: hbs.AST.PathExpression) => {
    if (path.depth > 0) found = true;
  };
  visitor.accept(ast);
  return found;
}

class Compiler {
  constructor(
    private readonly options: CompileOptions,
    readonly useDepths: boolean,
    /** The strings being compiled in, outermost first: one that includes itself is refused. */
    private readonly including: readonly string[] = [],
  ) {}

  program(node: hbs.AST.Program | undefined, scope: Scope): Program {
    if (!node) return noop;
    const inner = node.blockParams?.length ? [node.blockParams, ...scope] : scope;
    const parts: Part[] = [];
    for (const statement of node.body) {
      const part = this.statement(statement, inner);
      if (part === '') continue;
      const last = parts.length - 1;
      if (typeof part === 'string' && typeof parts[last] === 'string') parts[last] += part;
      else parts.push(part);
    }
    if (parts.length === 0) return noop;
    if (parts.length === 1) {
      const only = parts[0]!;
      return typeof only === 'string' ? () => only : only;
    }
    const count = parts.length;
    return (context, frame) => {
      let out = '';
      for (let i = 0; i < count; i++) {
        const part = parts[i]!;
        out += typeof part === 'string' ? part : part(context, frame);
      }
      return out;
    };
  }

  private statement(node: hbs.AST.Statement, scope: Scope): Part {
    switch (node.type) {
      case 'ContentStatement':
        return (node as hbs.AST.ContentStatement).value;
      case 'CommentStatement':
        return '';
      case 'MustacheStatement':
        return this.mustache(node as hbs.AST.MustacheStatement, scope);
      case 'BlockStatement':
        return this.block(node as hbs.AST.BlockStatement, scope);
      default:
        throw new TemplateSyntaxError(`${describe(node.type)} not supported: keep each template self-contained`, node.loc?.start.line);
    }
  }

  private readonly inlinedPrograms = new Map<string, Program>();

  /** `{{t "key"}}` with the key's source compiled in: it reads the root context, as the helper would. */
  private inlined(node: hbs.AST.MustacheStatement): Part | undefined {
    const inlined = this.options.inlined;
    const path = node.path as hbs.AST.PathExpression;
    const [key] = node.params;
    if (!inlined || path.type !== 'PathExpression' || path.original !== inlined.helper || node.params.length !== 1 || node.hash || key?.type !== 'StringLiteral') return undefined;
    const name = (key as hbs.AST.StringLiteral).value;
    const source = inlined.sources[name];
    if (source === undefined) return undefined; // the helper call reports it, at render time
    let program = this.inlinedPrograms.get(name);
    if (!program) {
      if (this.including.includes(name)) throw new TemplateSyntaxError(`string "${name}" includes itself: ${[...this.including, name].join(' → ')}`, node.loc?.start.line);
      const ast = parse(source);
      const own = new Compiler(this.options, readsParents(ast), [...this.including, name]);
      const body = own.program(ast, []);
      program = (_context, frame) => {
        const root = frame.data['root'];
        return body(root, { data: frame.data, depths: own.useDepths ? [root] : NO_DEPTHS, params: NO_PARAMS, loop: frame.loop });
      };
      this.inlinedPrograms.set(name, program);
    }
    return program;
  }

  private mustache(node: hbs.AST.MustacheStatement, scope: Scope): Part {
    const inlined = this.inlined(node);
    if (inlined) return inlined;
    const value = this.call(node, scope, true);
    if (this.options.escape && node.escaped) return (context, frame) => escapeHtml(value(context, frame) as string);
    return (context, frame) => {
      const result = value(context, frame);
      return result == null ? '' : '' + (result as string);
    };
  }

  /** A mustache or subexpression: a helper call, or (a bare path with no arguments) a value. */
  private call(node: hbs.AST.MustacheStatement | hbs.AST.SubExpression, scope: Scope, inMustache: boolean): Expression {
    const line = node.loc?.start.line;
    if (node.path.type !== 'PathExpression') throw new TemplateSyntaxError(`a ${describe(node.path.type)} cannot be called`, line);
    const path = node.path as hbs.AST.PathExpression;
    const simple = path.parts.length === 1 && !path.data && path.depth === 0 && !/^(\.|this\b)/.test(path.original);
    const name = path.parts[0]!;
    const hasArguments = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0;
    if (simple && (hasOwn.call(this.options.inline, name) || name === 'lookup')) return this.helperCall(name, node, scope);
    if (simple && (BUILT_IN_BLOCKS as readonly string[]).includes(name)) throw new TemplateSyntaxError(`{{${name}}} is a block helper: write {{#${name} …}}…{{/${name}}}`, line);
    if (hasArguments || !inMustache) throw new TemplateSyntaxError(`unknown helper "${path.original}"`, line);
    return this.path(path, scope);
  }

  private helperCall(name: string, node: hbs.AST.MustacheStatement | hbs.AST.SubExpression | hbs.AST.BlockStatement, scope: Scope): Expression {
    const args = node.params.map((p) => this.expression(p, scope));
    const hash = this.hash(node.hash, scope);
    if (name === 'lookup') {
      if (args.length !== 2) throw new TemplateSyntaxError('lookup needs an object and a key', node.loc?.start.line);
      const [object, key] = args as [Expression, Expression];
      return (context, frame) => {
        const target = object(context, frame);
        return target ? property(target, key(context, frame) as string) : target;
      };
    }
    const helper = this.options.inline[name]!;
    const values = argumentsOf(args);
    return (context, frame) => helper(values(context, frame), hash(context, frame), frame.data);
  }

  private hash(node: hbs.AST.Hash | undefined, scope: Scope): (context: unknown, frame: Frame) => Record<string, unknown> {
    const pairs = (node?.pairs ?? []).map((pair) => [pair.key, this.expression(pair.value, scope)] as const);
    // Helpers only read the hash: one shared empty one saves an allocation per call.
    if (pairs.length === 0) return () => NO_HASH as Record<string, unknown>;
    return (context, frame) => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of pairs) out[key] = value(context, frame);
      return out;
    };
  }

  private expression(node: hbs.AST.Expression, scope: Scope): Expression {
    switch (node.type) {
      case 'PathExpression':
        return this.path(node as hbs.AST.PathExpression, scope);
      case 'SubExpression':
        return this.call(node as hbs.AST.SubExpression, scope, false);
      case 'StringLiteral':
      case 'NumberLiteral':
      case 'BooleanLiteral': {
        const value = (node as hbs.AST.StringLiteral | hbs.AST.NumberLiteral | hbs.AST.BooleanLiteral).value;
        return () => value;
      }
      case 'UndefinedLiteral':
        return () => undefined;
      case 'NullLiteral':
        return () => null;
      default:
        throw new TemplateSyntaxError(`${describe(node.type)} not supported`, node.loc?.start.line);
    }
  }

  private path(node: hbs.AST.PathExpression, scope: Scope): Expression {
    const parts = node.parts;
    const line = node.loc?.start.line;
    if (node.data) {
      if (node.depth > 0) throw new TemplateSyntaxError(`@../ is not supported: ${node.original}`, line);
      const [head, ...rest] = parts as [string, ...string[]];
      if (LOOP_VARIABLES.has(head)) {
        const variable = head as keyof Loop;
        // Outside any #each, these are whatever the caller's data holds (usually nothing).
        return chain((_context, frame) => (frame.loop ? frame.loop[variable] : property(frame.data, head)), rest);
      }
      return chain((_context, frame) => property(frame.data, head), rest);
    }
    const scoped = /^(\.|this\b)/.test(node.original);
    if (!scoped && node.depth === 0 && parts.length > 0) {
      const level = scope.findIndex((names) => names.includes(parts[0]!));
      if (level >= 0) {
        const index = scope[level]!.indexOf(parts[0]!);
        return chain((_context, frame) => frame.params[level]?.[index], parts.slice(1));
      }
    }
    const depth = node.depth;
    const base: Expression = depth === 0 ? (context) => context : (_context, frame) => frame.depths[depth];
    return chain(base, parts);
  }

  private block(node: hbs.AST.BlockStatement, scope: Scope): Part {
    const line = node.loc?.start.line;
    const path = node.path as hbs.AST.PathExpression;
    const name = path.type === 'PathExpression' && path.parts.length === 1 && !path.data ? path.parts[0]! : path.original;
    const fn = this.program(node.program, scope);
    const inverse = this.program(node.inverse, scope);
    // Only each and with hand values to `as |x|`; a program declaring none keeps the params it is in.
    const declares = (node.program?.blockParams?.length ?? 0) > 0;
    if (declares && name !== 'each' && name !== 'with') throw new TemplateSyntaxError(`#${name} has no block params to give`, line);
    const args = node.params.map((p) => this.expression(p, scope));
    const hash = this.hash(node.hash, scope);
    const one = (): Expression => {
      if (args.length !== 1) throw new TemplateSyntaxError(`#${name} needs exactly one argument`, line);
      return args[0]!;
    };
    switch (name) {
      case 'if':
      case 'unless': {
        const value = one();
        const [then, otherwise] = name === 'if' ? [fn, inverse] : [inverse, fn];
        const includeZero = node.hash?.pairs.some((p) => p.key === 'includeZero');
        return (context, frame) => {
          const v = value(context, frame);
          const absent = (includeZero ? !hash(context, frame)['includeZero'] && !v : !v) || isEmpty(v);
          return absent ? otherwise(context, frame) : then(context, frame);
        };
      }
      case 'with': {
        const value = one();
        return (context, frame) => {
          const v = value(context, frame);
          if (isEmpty(v)) return inverse(context, frame);
          return fn(v, this.enter(frame, v, frame.loop, declares ? [v] : undefined));
        };
      }
      case 'each':
        return this.each(one(), fn, inverse, declares);
      default: {
        const helper = this.options.conditional[name];
        if (!helper || path.type !== 'PathExpression') throw new TemplateSyntaxError(`unknown block helper "${path.original}"`, line);
        const values = argumentsOf(args);
        return (context, frame) => (helper(values(context, frame), hash(context, frame), frame.data) ? fn(context, frame) : inverse(context, frame));
      }
    }
  }

  /** A program entered with a new context: `../` counts only contexts that differ, as in Handlebars. */
  private enter(frame: Frame, context: unknown, loop: Loop | undefined, params: readonly unknown[] | undefined): Frame {
    // Loose on purpose: Handlebars compares with != here.
    const same = !this.useDepths || context == frame.depths[0];
    return { data: frame.data, depths: same ? frame.depths : [context, ...frame.depths], params: params ? [params, ...frame.params] : frame.params, loop };
  }

  private each(list: Expression, fn: Program, inverse: Program, declares: boolean): Part {
    const needsOwnFrame = declares || this.useDepths;
    return (context, frame) => {
      const items = list(context, frame);
      if (!items || typeof items !== 'object') return inverse(context, frame);
      let keys: string[] | undefined;
      let values: readonly unknown[];
      if (Array.isArray(items)) values = items;
      else if (typeof (items as Iterable<unknown>)[Symbol.iterator] === 'function') values = [...(items as Iterable<unknown>)];
      else values = (keys = Object.keys(items)).map((key) => (items as Record<string, unknown>)[key]);
      const count = values.length;
      if (count === 0) return inverse(context, frame);
      const loop: Loop = { key: 0, index: 0, first: true, last: false };
      const shared: Frame | undefined = needsOwnFrame ? undefined : { data: frame.data, depths: frame.depths, params: frame.params, loop };
      let out = '';
      for (let i = 0; i < count; i++) {
        if (!keys && !(i in values)) continue; // a hole in a sparse array, skipped as Handlebars does
        const key = keys ? keys[i]! : i;
        loop.key = key;
        loop.index = i;
        loop.first = i === 0;
        loop.last = i === count - 1;
        out += fn(values[i], shared ?? this.enter(frame, values[i], loop, declares ? [values[i], key] : undefined));
      }
      return out;
    };
  }
}

function argumentsOf(args: Expression[]): (context: unknown, frame: Frame) => unknown[] {
  switch (args.length) {
    case 0:
      return () => [];
    case 1: {
      const [a] = args as [Expression];
      return (context, frame) => [a(context, frame)];
    }
    case 2: {
      const [a, b] = args as [Expression, Expression];
      return (context, frame) => [a(context, frame), b(context, frame)];
    }
    default:
      return (context, frame) => args.map((arg) => arg(context, frame));
  }
}

function chain(base: Expression, keys: readonly string[]): Expression {
  switch (keys.length) {
    case 0:
      return base;
    case 1: {
      const [a] = keys as [string];
      return (context, frame) => property(base(context, frame), a);
    }
    case 2: {
      const [a, b] = keys as [string, string];
      return (context, frame) => property(property(base(context, frame), a), b);
    }
    default:
      return (context, frame) => keys.reduce<unknown>((node, key) => property(node, key), base(context, frame));
  }
}

function describe(type: string): string {
  return type
    .replace(/Statement$|Expression$|Literal$/, (m) => ` ${m.toLowerCase()}`)
    .replace(/^[A-Z]/, (c) => c.toLowerCase())
    .replace(/Block/, ' block')
    .trim();
}
