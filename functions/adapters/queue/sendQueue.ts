import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { chunksOf } from '../../shared/chunks';
import type { SendMessage, SendQueue } from '../../usecases/ports/queues';
import { untilAllProcessed } from '../../shared/retry';

// The messages and the port are the use cases' (usecases/ports/queues.ts).
export type { SendMessage, SendQueue } from '../../usecases/ports/queues';

/** An SQS queue of JSON messages: the send queue's, and the broadcast parts' (`SqsSendQueue<PartMessage>`). */
export class SqsSendQueue<T = SendMessage> implements SendQueue<T> {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(messages: T[]): Promise<void> {
    // SendMessageBatch takes ten messages.
    for (const chunk of chunksOf(messages, 10)) {
      const entries = chunk.map((m, n) => ({ Id: String(n), MessageBody: JSON.stringify(m) }));
      // The entries SQS failed are sent again (shared/retry.ts); the request's own failures are the SDK's.
      const left = await untilAllProcessed(entries, async (batch) => {
        const out = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: [...batch] }));
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        return batch.filter((e) => failed.has(e.Id));
      });
      if (left.length > 0) throw new Error(`SQS refused ${left.length} messages`);
    }
  }
}
