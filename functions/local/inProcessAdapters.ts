import type { EventPublisher } from '../adapters/bus/eventPublisher';
import { EVENT_SOURCE } from '../adapters/bus/eventPublisher';
import type { SendMessage, SendQueue } from '../adapters/queue/sendQueue';
import type { ShopEvent } from '../domain/events';
import type { InProcessQueue } from './inProcessQueue';

/**
 * The local event bus: wraps each event as EventBridge would and waits until the trigger queue has
 * applied it, so that after 202 a local caller sees the effect (the cloud answers before that).
 */
export class InProcessEventPublisher implements EventPublisher {
  constructor(private readonly triggerQueue: InProcessQueue) {}

  async publish(events: ShopEvent[]): Promise<void> {
    this.triggerQueue.send(
      events.map((detail) => JSON.stringify({ version: '0', id: detail.id, source: EVENT_SOURCE, 'detail-type': detail.type, time: detail.occurredAt, detail })),
    );
    await this.triggerQueue.drain();
  }
}

export class InProcessSendQueue implements SendQueue {
  constructor(private readonly queue: InProcessQueue) {}

  async enqueue(messages: SendMessage[]): Promise<void> {
    this.queue.send(messages.map((m) => JSON.stringify(m)));
  }
}
