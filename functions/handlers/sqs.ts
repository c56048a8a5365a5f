import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;

/** A record that can never succeed (it does not parse): retrying is pointless, so it goes to the DLQ. */
export class PoisonRecordError extends Error {
  override name = 'PoisonRecordError';
  constructor(
    readonly messageId: string,
    problem: string,
  ) {
    super(`record ${messageId} cannot be processed: ${problem}`);
  }
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
