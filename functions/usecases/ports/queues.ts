/** The queues the use cases hand work to (adapters/queue/sendQueue.ts, adapters/bus/eventPublisher.ts and the local
 * in-process queues implement them). */
import type { BusEvent } from '../../domain/events/events';

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

/** Where accepted shop events go; the answer 202 is given only after this resolves. */
export interface EventPublisher {
  publish(events: BusEvent[]): Promise<void>;
}

export class EventPublishError extends Error {
  override name = 'EventPublishError';
  constructor(readonly failedIds: string[]) {
    super(`${failedIds.length} events could not be published`);
  }
}
