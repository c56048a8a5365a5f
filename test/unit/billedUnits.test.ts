import {
  indexWriteUnits,
  itemSize,
  itemWriteUnits,
  readUnits,
  valueSize,
  writeUnits,
  type TableShape,
} from '../../scripts/bench/billing/units';

/** The benchmark's calculator of what DynamoDB bills, against cases computed by hand from the developer guide's rules. */
describe('billed units', () => {
  it('sizes values as DynamoDB does', () => {
    expect(valueSize('abc')).toBe(3);
    expect(valueSize('żółw')).toBe(7); // UTF-8: ż, ó and ł take two bytes each
    expect(valueSize(true)).toBe(1);
    expect(valueSize(null)).toBe(1);
    expect(valueSize(12345)).toBe(4); // 5 significant digits: ceil(5 / 2) + 1
    expect(valueSize(1)).toBe(2);
    expect(valueSize(12.5)).toBe(3); // digits 125
    expect(valueSize(['a', 'bc'])).toBe(3 + (1 + 1) + (1 + 2));
    expect(valueSize({ a: 'x', bb: 1 })).toBe(3 + (1 + 1 + 1) + (2 + 2 + 1));
    // pk "C#1" (2 + 3) and sk "PROFILE" (2 + 7) and n 10 (1 + 2)
    expect(itemSize({ pk: 'C#1', sk: 'PROFILE', n: 10 })).toBe(5 + 9 + 3);
  });

  it('rounds writes up per KB and reads per 4 KB, halving eventually consistent reads', () => {
    expect(writeUnits(0)).toBe(1);
    expect(writeUnits(1024)).toBe(1);
    expect(writeUnits(1025)).toBe(2);
    expect(readUnits(0, true)).toBe(1); // a Get that finds nothing still costs a unit
    expect(readUnits(4096, true)).toBe(1);
    expect(readUnits(4097, true)).toBe(2);
    expect(readUnits(4097, false)).toBe(1);
  });

  const table: TableShape = {
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [{ name: 'due', partitionKey: 'dueShard', sortKey: 'sweepAt', projection: ['jobId'] }],
  };
  const big = 'x'.repeat(1500);

  it('bills the larger of the item before and after, twice in a transaction, and a failed condition too', () => {
    const small = { pk: 'C#1', sk: 'JOB#1', v: 1 };
    const large = { ...small, blob: big };
    expect(itemWriteUnits(table, undefined, small)).toEqual({ table: 1, indexes: {} });
    expect(itemWriteUnits(table, large, small).table).toBe(2); // shrinking a 1.5 KB item still costs 2
    expect(itemWriteUnits(table, small, large, { transactional: true }).table).toBe(4);
    expect(itemWriteUnits(table, large, large, { failed: true }).table).toBe(2);
  });

  it('charges index writes: entering or leaving a sparse index one each, a moved index key two, an unprojected change none', () => {
    const job = { pk: 'C#1', sk: 'JOB#1', jobId: 'j1', status: 'pending' };
    const due = { ...job, dueShard: 'DUE#3', sweepAt: '2026-12-01T10:00:00Z' };
    expect(indexWriteUnits(table, job, due)).toEqual({ due: 1 });
    expect(indexWriteUnits(table, due, job)).toEqual({ due: 1 });
    expect(indexWriteUnits(table, due, { ...due, sweepAt: '2026-12-01T11:00:00Z' })).toEqual({ due: 2 });
    expect(indexWriteUnits(table, due, { ...due, status: 'queued' })).toEqual({}); // status is not projected
    // An item read back lists its attributes in another order: the same copy, no index write.
    const { jobId, ...rest } = due;
    expect(indexWriteUnits(table, due, { jobId, ...rest, status: 'queued' })).toEqual({});
    expect(indexWriteUnits(table, due, { ...due, jobId: 'j2' })).toEqual({ due: 1 });
    // The whole item in an ALL index: a large item's copy costs what the item does.
    const all: TableShape = { ...table, indexes: [{ name: 'byCampaign', partitionKey: 'campaignDay', projection: 'ALL' }] };
    expect(indexWriteUnits(all, undefined, { pk: 'C#1', sk: 'LOG#1', campaignDay: 'x', blob: big })).toEqual({ byCampaign: 2 });
    expect(itemWriteUnits(all, undefined, { pk: 'C#1', sk: 'LOG#1', campaignDay: 'x' }, { transactional: true })).toEqual({
      table: 2,
      indexes: { byCampaign: 1 },
    });
  });
});
