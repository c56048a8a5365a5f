import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { JobStore, type DueJobRef } from '../../functions/adapters/dynamo/jobStore';
import type { Job } from '../../functions/domain/journeys/job';

/** Error paths of the job store that DynamoDB Local cannot be made to produce: a fake client. */
const clientFailing = (failure: (input: Record<string, unknown>) => Error | undefined) =>
  ({
    send: async (command: { input: Record<string, unknown> }) => {
      const error = failure(command.input);
      if (error) throw error;
      return {};
    },
  }) as unknown as DynamoDBDocumentClient;

const ref = (customerId: string): DueJobRef => ({
  customerId,
  jobId: 'c#1',
  stepId: 's',
  instanceId: 'i',
  dueAt: '2026-01-01T00:00:00.000Z',
  version: 1,
  priority: 50,
});
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
const customerOf = (input: Record<string, unknown>) => (input['Key'] as { pk: string }).pk;

describe('JobStore error paths', () => {
  it('marking queued: a job whose condition fails is false, the others are marked', async () => {
    const store = new JobStore(
      clientFailing((input) => (customerOf(input) === 'C#b' ? conditionFailed() : undefined)),
      't',
    );
    expect(await store.markQueued([ref('a'), ref('b'), ref('c')], '2026-01-01T00:00:00.000Z')).toEqual([true, false, true]);
  });

  it('marking queued: any other failure is thrown once every write is done, so the sweep warns', async () => {
    const store = new JobStore(
      clientFailing((input) => (customerOf(input) === 'C#b' ? throttled() : customerOf(input) === 'C#c' ? conditionFailed() : undefined)),
      't',
    );
    await expect(store.markQueued([ref('a'), ref('b'), ref('c')], '2026-01-01T00:00:00.000Z')).rejects.toThrow('Rate exceeded');
  });

  it('a claim transaction cancelled with no reason of its own for any claim is thrown, not read as a conflict', async () => {
    const job = { customerId: 'a', jobId: 'c#1', version: 1 } as Job;
    const cancelled = new TransactionCanceledException({
      message: 'cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'None' }, { Code: 'None' }],
    });
    const store = new JobStore(
      clientFailing(() => cancelled),
      't',
    );
    await expect(
      store.claimAll(
        [
          { job, slots: undefined },
          { job: { ...job, customerId: 'b' }, slots: undefined },
        ],
        '2026-01-01T00:00:00.000Z',
      ),
    ).rejects.toBe(cancelled);
  });

  it('a claim transaction cancelled by one claim: that one conflicts, the others fell with it', async () => {
    const job = { customerId: 'a', jobId: 'c#1', version: 1 } as Job;
    const slots = { next: [], expectedRev: 3 };
    const cancelled = new TransactionCanceledException({
      message: 'cancelled',
      $metadata: {},
      CancellationReasons: [
        { Code: 'None' },
        { Code: 'None' },
        { Code: 'None' },
        { Code: 'ConditionalCheckFailed' },
        { Code: 'ConditionalCheckFailed' },
      ],
    });
    const store = new JobStore(
      clientFailing(() => cancelled),
      't',
    );
    const claims = [
      { job, slots },
      { job: { ...job, customerId: 'b' }, slots },
      { job: { ...job, customerId: 'c' }, slots: undefined },
    ];
    expect(await store.claimAll(claims, '2026-01-01T00:00:00.000Z')).toEqual([
      { conflict: 'others' },
      { conflict: 'caps' },
      { conflict: 'job' },
    ]);
  });

  it('claims at most one job per customer in a transaction', async () => {
    const job = { customerId: 'a', jobId: 'c#1', version: 1 } as Job;
    const store = new JobStore(
      clientFailing(() => undefined),
      't',
    );
    await expect(
      store.claimAll(
        [
          { job, slots: undefined },
          { job: { ...job, jobId: 'c#2' }, slots: undefined },
        ],
        '2026-01-01T00:00:00.000Z',
      ),
    ).rejects.toThrow('one job per customer');
  });
});
