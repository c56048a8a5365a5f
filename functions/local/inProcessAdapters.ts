import type { EventPublisher } from '../adapters/bus/eventPublisher';
import { EVENT_SOURCE, EventPublishError } from '../adapters/bus/eventPublisher';
import type { SendMessage, SendQueue } from '../adapters/queue/sendQueue';
import type { BusEvent } from '../domain/events/events';
import type { InProcessQueue } from './inProcessQueue';

/**
 * The local event bus: wraps each event as EventBridge would and waits until the trigger queue has
 * applied it, so that after 202 a local caller sees the effect (the cloud answers before that).
 */
export class InProcessEventPublisher implements EventPublisher {
  constructor(private readonly triggerQueue: InProcessQueue) {}

  async publish(events: BusEvent[]): Promise<void> {
    const ids = this.triggerQueue.send(
      events.map((detail) =>
        JSON.stringify({ version: '0', id: detail.id, source: EVENT_SOURCE, 'detail-type': detail.type, time: detail.occurredAt, detail }),
      ),
    );
    await this.triggerQueue.drain();
    // Locally there is no durable bus behind a 202: an event the trigger could not apply is refused
    // (503), so the shop sends it again — its id makes that safe.
    const failed = new Set(this.triggerQueue.deadLetters.map((d) => d.id));
    const lost = events.filter((_, i) => failed.has(ids[i]!));
    if (lost.length > 0) throw new EventPublishError(lost.map((e) => e.id));
  }
}

export class InProcessSendQueue<T = SendMessage> implements SendQueue<T> {
  constructor(private readonly queue: InProcessQueue) {}

  async enqueue(messages: T[]): Promise<void> {
    this.queue.send(messages.map((m) => JSON.stringify(m)));
  }
}
