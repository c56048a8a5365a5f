import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { chunksOf } from '../../shared/chunks';

/** What the dispatcher hands the send function: references only, never personal data. */
export interface SendMessage {
  customerId: string;
  jobId: string;
  stepId: string;
  instanceId: string;
}

export interface SendQueue<T = SendMessage> {
  enqueue(messages: T[]): Promise<void>;
}

/** An SQS queue of JSON messages: the send queue's, and the broadcast parts' (`SqsSendQueue<PartMessage>`). */
export class SqsSendQueue<T = SendMessage> implements SendQueue<T> {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(messages: T[]): Promise<void> {
    // SendMessageBatch takes ten messages.
    for (const chunk of chunksOf(messages, 10)) {
      let batch = chunk.map((m, n) => ({ Id: String(n), MessageBody: JSON.stringify(m) }));
      for (let attempt = 0; batch.length > 0; attempt++) {
        const out = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: batch }));
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        batch = batch.filter((e) => failed.has(e.Id));
        if (batch.length > 0 && attempt >= 4) throw new Error(`SQS refused ${batch.length} messages`);
        if (batch.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
  }
}
