import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { BusEvent } from '../../domain/events';

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

export const EVENT_SOURCE = 'tactful.shop';

export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly eventBridge: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: BusEvent[]): Promise<void> {
    // PutEvents takes 10 entries and 256 KB a call; events are capped at 64 KB, so 3 a call is always safe by size.
    const chunks: BusEvent[][] = [];
    let chunk: BusEvent[] = [];
    let bytes = 0;
    for (const event of events) {
      const size = Buffer.byteLength(JSON.stringify(event)) + 100;
      if (chunk.length === 10 || bytes + size > 250_000) {
        chunks.push(chunk);
        chunk = [];
        bytes = 0;
      }
      chunk.push(event);
      bytes += size;
    }
    if (chunk.length) chunks.push(chunk);
    await Promise.all(chunks.map((c) => this.putWithRetry(c)));
  }

  private async putWithRetry(events: BusEvent[]): Promise<void> {
    let pending = events;
    for (let attempt = 0; attempt < 4 && pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt * Math.random()));
      const out = await this.eventBridge.send(
        new PutEventsCommand({
          Entries: pending.map((e) => ({
            EventBusName: this.busName,
            Source: EVENT_SOURCE,
            DetailType: e.type,
            Detail: JSON.stringify(e),
            Time: new Date(e.occurredAt),
          })),
        }),
      );
      pending = pending.filter((_, i) => out.Entries?.[i]?.ErrorCode);
    }
    if (pending.length > 0) throw new EventPublishError(pending.map((e) => e.id));
  }
}
