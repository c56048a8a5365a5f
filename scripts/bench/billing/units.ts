/**
 * What DynamoDB bills, computed from the items themselves: DynamoDB Local reports 2 units for any
 * transaction whatever it writes, and nothing for index writes, so its ConsumedCapacity cannot say what
 * a design costs on AWS. The rules, from the DynamoDB developer guide (item sizes, capacity units,
 * transactions, secondary indexes):
 * - an item's size is the UTF-8 length of its attribute names plus the size of their values;
 * - a write is 1 unit per started KB of the larger of the item before and after it (at least 1); a
 *   write whose condition fails still costs that;
 * - a strongly consistent read is 1 unit per started 4 KB (at least 1, also when nothing is found),
 *   an eventually consistent one half of it; a Query or Scan adds the sizes of every item it reads
 *   (before any filter) and rounds the sum up once;
 * - in a transaction every item costs twice in the table (prepare and commit), its index copies once;
 * - every change to a global secondary index's copy of an item is one more write of that copy's size:
 *   an item entering or leaving the index is one write, a change of its index key two (delete and put),
 *   a change of a projected attribute one.
 */

export type NativeValue = unknown;

/** The size DynamoDB assigns to a value (bytes), for values as the DocumentClient sends them. */
export function valueSize(value: NativeValue): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number' || typeof value === 'bigint') return numberSize(String(value));
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) {
    let sum = 0;
    for (const v of value) sum += valueSize(v);
    return sum;
  }
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + valueSize(v), 0);
  if (typeof value === 'object') {
    // A map: 3 bytes, and per entry its name, its value and 1 byte.
    let sum = 3;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      sum += Buffer.byteLength(k, 'utf8') + valueSize(v) + 1;
    }
    return sum;
  }
  return Buffer.byteLength(String(value), 'utf8');
}

/** A number is stored as up to 38 significant digits, about one byte per two, plus one. */
function numberSize(text: string): number {
  const digits = text.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

/** An item's size: each attribute's name and value. */
export function itemSize(item: Record<string, unknown> | undefined): number {
  if (!item) return 0;
  let sum = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    sum += Buffer.byteLength(name, 'utf8') + valueSize(value);
  }
  return sum;
}

export const writeUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));

export const readUnits = (bytes: number, consistent: boolean): number => {
  const units = Math.max(1, Math.ceil(bytes / 4096));
  return consistent ? units : units / 2;
};

export interface IndexShape {
  name: string;
  partitionKey: string;
  sortKey?: string;
  /** ALL, KEYS_ONLY, or the projected non-key attributes. */
  projection: 'ALL' | 'KEYS_ONLY' | readonly string[];
}

export interface TableShape {
  partitionKey: string;
  sortKey?: string;
  indexes: readonly IndexShape[];
}

/** The index's copy of an item (undefined when the item is not in the index: a sparse index). */
export function indexCopy(
  table: TableShape,
  index: IndexShape,
  item: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (!item || item[index.partitionKey] === undefined || (index.sortKey && item[index.sortKey] === undefined)) return undefined;
  if (index.projection === 'ALL') return item;
  const keep = new Set([table.partitionKey, table.sortKey, index.partitionKey, index.sortKey].filter((k): k is string => Boolean(k)));
  if (index.projection !== 'KEYS_ONLY') for (const a of index.projection) keep.add(a);
  return Object.fromEntries(Object.entries(item).filter(([k]) => keep.has(k)));
}

/** Equal values, whatever the order of their attributes (an item read back lists them in its own order). */
const same = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
const canonical = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(canonical)
    : v && typeof v === 'object' && !(v instanceof Uint8Array) && !(v instanceof Set)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .filter(([, x]) => x !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
            .map(([k, x]) => [k, canonical(x)]),
        )
      : v;

/** Write units that one item change costs in the table's global secondary indexes. */
export function indexWriteUnits(
  table: TableShape,
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): Record<string, number> {
  const units: Record<string, number> = {};
  for (const index of table.indexes) {
    const was = indexCopy(table, index, before);
    const is = indexCopy(table, index, after);
    let n = 0;
    if (was && !is) n = writeUnits(itemSize(was));
    else if (!was && is) n = writeUnits(itemSize(is));
    else if (was && is) {
      const keyMoved =
        !same(was[index.partitionKey], is[index.partitionKey]) || (index.sortKey ? !same(was[index.sortKey], is[index.sortKey]) : false);
      if (keyMoved) n = writeUnits(itemSize(was)) + writeUnits(itemSize(is));
      else if (!same(was, is)) n = writeUnits(Math.max(itemSize(was), itemSize(is)));
    }
    if (n) units[index.name] = n;
  }
  return units;
}

/** One item write as billed: the table's units (doubled in a transaction) and each index's. */
export function itemWriteUnits(
  table: TableShape,
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
  { transactional = false, failed = false }: { transactional?: boolean; failed?: boolean } = {},
): { table: number; indexes: Record<string, number> } {
  const base = writeUnits(Math.max(itemSize(before), itemSize(after)));
  const factor = transactional ? 2 : 1;
  // A failed condition writes nothing, so no index changes either.
  // The index copies are written once, after the commit: the doubling is the table's prepare and commit.
  const indexes = failed ? {} : indexWriteUnits(table, before, after);
  return { table: base * factor, indexes };
}
