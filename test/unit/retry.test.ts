import { ConcurrentUpdateError } from '../../functions/shared/errors';
import { LOST_RACE, rereadingOnConflict, untilAllProcessed, type RetryBudget } from '../../functions/shared/retry';

/** No waiting in tests: the budget's waits are all zero. */
const quick = (tries: number): RetryBudget => ({ tries, baseMs: 0, capMs: 0 });

describe('the retry of what the SDK does not retry (shared/retry.ts)', () => {
  it('sends the leftovers of a batch call again until none is left, and only them', async () => {
    const asked: number[][] = [];
    const left = await untilAllProcessed(
      [1, 2, 3, 4],
      async (items) => {
        asked.push([...items]);
        return items.filter((n) => n % 2 === 0 && asked.length < 3);
      },
      quick(8),
    );
    expect(left).toEqual([]);
    expect(asked).toEqual([
      [1, 2, 3, 4],
      [2, 4],
      [2, 4],
    ]);
  });

  it('answers what is still left when the budget runs out, for the caller to refuse', async () => {
    let calls = 0;
    const left = await untilAllProcessed(['a', 'b'], async (items) => (calls++, items.slice(1)), quick(1));
    expect(calls).toBe(1);
    expect(left).toEqual(['b']);
  });

  it('reads and decides again after a lost race, and gives up with ConcurrentUpdateError naming what', async () => {
    const tries: number[] = [];
    await expect(rereadingOnConflict(async (n) => (tries.push(n), n < 2 ? LOST_RACE : 'won'), 'caps of c1', quick(8))).resolves.toBe('won');
    expect(tries).toEqual([0, 1, 2]);
    const never = rereadingOnConflict(async () => LOST_RACE, 'caps of c1', quick(3));
    await expect(never).rejects.toThrow(ConcurrentUpdateError);
    await expect(rereadingOnConflict(async () => LOST_RACE, 'caps of c1', quick(3))).rejects.toThrow('concurrent update of caps of c1');
  });

  it('lets any other failure through at once', async () => {
    let calls = 0;
    const failing = rereadingOnConflict(async () => {
      calls++;
      throw new Error('network');
    }, 'x');
    await expect(failing).rejects.toThrow('network');
    expect(calls).toBe(1);
  });
});
