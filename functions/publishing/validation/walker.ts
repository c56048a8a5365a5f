import Handlebars from 'handlebars';
import { error, type Problem } from './problems';

/**
 * One walk over Handlebars' own syntax tree (`Handlebars.parse`, typed by the handlebars typings) that
 * records what a template does — the data paths it reads and whether escaped, the helpers it calls,
 * the strings it asks for, what the language allows but tactful does not — so that each check
 * (checks/) judges a plain record instead of walking again.
 */

type Program = hbs.AST.Program;
type Statement = hbs.AST.Statement;
type Expression = hbs.AST.Expression;
type PathExpression = hbs.AST.PathExpression;
type Call = hbs.AST.MustacheStatement | hbs.AST.SubExpression;

/** One Handlebars source of the template: a part, or one string of one locale. */
export interface Source {
  /** Relative to the template's folder. */
  file: string;
  /** How messages name it: "the template", "string "intro"". */
  part: string;
  source: string;
  /** A string's lines count from the line its JSON property is on. */
  lineOffset: number;
  /** Whether its output is HTML (so {{{…}}} is unescaped there). */
  html: boolean;
  maxBytes: number;
}

export interface Reference {
  /** Dotted path from the root; `[]` marks "an element of this list". */
  path: string;
  file: string;
  line: number;
  escaped: boolean;
}

/** What the checks judge besides data: in the order the walk met them. */
export type Construct = { file: string; line: number } & (
  | { kind: 'helper'; name: string; known: boolean }
  | { kind: 'block'; name: string; known: boolean; firstString?: string }
  | { kind: 'not-callable' }
  | { kind: 'partial' }
  | { kind: 'raw-in-string' }
);

export interface TemplateUse {
  refs: Reference[];
  constructs: Construct[];
  stringKeys: { key: string; file: string; line: number }[];
  /** Names passed to {{t}} as parameters: the strings may read them. */
  stringParams: Set<string>;
  /** Whether some {{t}} computes its key: then strings cannot be reported unused by name. */
  computedKeys: boolean;
}

export const emptyUse = (): TemplateUse => ({ refs: [], constructs: [], stringKeys: [], stringParams: new Set(), computedKeys: false });

/** Handlebars' parse of one source, or its error with the source's file and line. */
export function parseSource(src: Source): { ast: Program } | { problem: Problem } {
  try {
    return { ast: Handlebars.parse(src.source) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const line = /line (\d+)/.exec(message)?.[1];
    const [first, ...rest] = message.split('\n');
    const detail = rest.length ? ` — ${rest.join(' ').replace(/\s+/g, ' ').trim()}` : '';
    return { problem: error(src.file, `Handlebars: ${first}${detail}`, line ? Number(line) + src.lineOffset : undefined) };
  }
}

/**
 * The data paths of the blocks around a statement (`cart.items[]` inside {{#each cart.items}}), and
 * what the block params in reach stand for (`item` in {{#each cart.items as |item i|}} is
 * `cart.items[]`; `i`, an index, is no data).
 */
interface Scopes {
  paths: string[];
  params: ReadonlyMap<string, string | undefined>;
}

interface Walk {
  src: Source;
  /** The names that are helpers: `{{name}}` with no arguments is a field unless it is one of these. */
  helpers: ReadonlySet<string>;
  use: TemplateUse;
}

/** Adds what `ast` (parsed from `src`) does to `use`. */
export function walkTemplate(ast: Program, src: Source, helpers: ReadonlySet<string>, use: TemplateUse): void {
  walkProgram(ast, { paths: [''], params: new Map() }, { src, helpers, use });
}

function walkProgram(program: Program, scopes: Scopes, walk: Walk): void {
  for (const statement of program.body ?? []) walkStatement(statement, scopes, walk);
}

const lineOfNode = (node: hbs.AST.Node, walk: Walk): number => (node.loc?.start.line ?? 1) + walk.src.lineOffset;

/** Resolves a path against the block scopes: `name` inside {{#each cart.items}} is `cart.items[].name`. */
function resolve(path: PathExpression, scopes: Scopes): string | undefined {
  if (path.data) return path.parts[0] === 'root' ? path.parts.slice(1).join('.') : undefined; // @index, @locale …
  const head = path.parts[0];
  if (head !== undefined && path.depth === 0 && !/^(\.|this\b)/.test(path.original) && scopes.params.has(head)) {
    const stands = scopes.params.get(head);
    return stands === undefined ? undefined : [stands, ...path.parts.slice(1)].join('.');
  }
  const scope = scopes.paths[Math.max(0, scopes.paths.length - 1 - path.depth)] ?? '';
  const rest = path.parts.join('.');
  return [scope, rest].filter(Boolean).join('.');
}

function walkStatement(node: Statement, scopes: Scopes, walk: Walk): void {
  const at = { file: walk.src.file, line: lineOfNode(node, walk) };
  switch (node.type) {
    case 'MustacheStatement': {
      const mustache = node as hbs.AST.MustacheStatement;
      // A string's output is inserted as is: only its own escaping protects it.
      if (mustache.escaped === false && walk.src.file.startsWith('locales/')) walk.use.constructs.push({ kind: 'raw-in-string', ...at });
      walkCall(mustache, scopes, walk, mustache.escaped !== false || !walk.src.html);
      return;
    }
    case 'BlockStatement': {
      const block = node as hbs.AST.BlockStatement;
      const name = block.path.original;
      const params = block.params ?? [];
      const first = params[0];
      const firstString = first?.type === 'StringLiteral' ? String((first as hbs.AST.StringLiteral).value) : undefined;
      walk.use.constructs.push({
        kind: 'block',
        name,
        known: walk.helpers.has(name),
        ...(firstString !== undefined ? { firstString } : {}),
        ...at,
      });
      for (const param of params) walkExpression(param, scopes, walk, true);
      walkHash(block.hash, scopes, walk, true);
      const data = first?.type === 'PathExpression' ? resolve(first as PathExpression, scopes) : undefined;
      const element = name === 'each' ? data && `${data}[]` : name === 'with' ? data : undefined;
      const names = new Map(scopes.params);
      // each gives the item and its index or key; with gives its value.
      (block.program?.blockParams ?? []).forEach((param, i) => names.set(param, i === 0 ? element : undefined));
      const inner: Scopes = { paths: element !== undefined ? [...scopes.paths, element] : scopes.paths, params: names };
      if (block.program) walkProgram(block.program, inner, walk);
      if (block.inverse) walkProgram(block.inverse, scopes, walk);
      return;
    }
    case 'PartialStatement':
    case 'PartialBlockStatement':
    case 'DecoratorBlock':
    case 'Decorator':
      walk.use.constructs.push({ kind: 'partial', ...at });
      return;
    default:
      return; // content and comments
  }
}

function walkCall(node: Call, scopes: Scopes, walk: Walk, escaped: boolean): void {
  const params = node.params ?? [];
  const hash = node.hash as hbs.AST.Hash | undefined;
  const at = { file: walk.src.file, line: lineOfNode(node, walk) };
  if (node.path.type !== 'PathExpression') return void walk.use.constructs.push({ kind: 'not-callable', ...at });
  const head = node.path as PathExpression;
  const name = head.original;
  const known = walk.helpers.has(name);
  // A block param wins over a helper of the same name, as in Handlebars.
  if (params.length === 0 && !hash) {
    if (!known || scopes.params.has(name)) walkExpression(head, scopes, walk, escaped);
    return;
  }
  walk.use.constructs.push({ kind: 'helper', name, known, ...at });
  if (!known) return;
  if (name === 't') {
    const key = params[0];
    if (key?.type === 'StringLiteral') walk.use.stringKeys.push({ key: String((key as hbs.AST.StringLiteral).value), ...at });
    else walk.use.computedKeys = true;
    for (const pair of hash?.pairs ?? []) if (pair.key !== 'fallback') walk.use.stringParams.add(pair.key);
    const fallback = hash?.pairs.find((p) => p.key === 'fallback')?.value;
    if (fallback?.type === 'StringLiteral') walk.use.stringKeys.push({ key: String((fallback as hbs.AST.StringLiteral).value), ...at });
  }
  // Under {{{…}}} a helper's result goes in unescaped, so whatever it was given counts as unescaped too
  // ({{t}} is the exception: its strings escape their own values).
  const argumentsEscaped = escaped || name === 't';
  for (const param of params) walkExpression(param, scopes, walk, argumentsEscaped);
  walkHash(hash, scopes, walk, argumentsEscaped);
}

function walkHash(hash: hbs.AST.Hash | undefined, scopes: Scopes, walk: Walk, escaped: boolean): void {
  for (const pair of hash?.pairs ?? []) walkExpression(pair.value, scopes, walk, escaped);
}

function walkExpression(node: Expression, scopes: Scopes, walk: Walk, escaped: boolean): void {
  if (node.type === 'SubExpression') return walkCall(node as hbs.AST.SubExpression, scopes, walk, escaped);
  if (node.type !== 'PathExpression') return; // literals
  const path = resolve(node as PathExpression, scopes);
  if (path !== undefined && path !== '') walk.use.refs.push({ path, file: walk.src.file, line: lineOfNode(node, walk), escaped });
}
