import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { BusEvent } from '../../domain/events/events';
import { EventPublishError, type EventPublisher } from '../../usecases/ports/queues';
import { untilAllProcessed } from '../../shared/retry';

// The port and its failure are the use cases' (usecases/ports/queues.ts).
export { EventPublishError, type EventPublisher } from '../../usecases/ports/queues';

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
    await Promise.all(chunks.map((c) => this.putAll(c)));
  }

  /** PutEvents answers per entry; the entries it failed are put again (shared/retry.ts), the request's own failures are the SDK's. */
  private async putAll(events: BusEvent[]): Promise<void> {
    const left = await untilAllProcessed(events, async (pending) => {
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
      return pending.filter((_, i) => out.Entries?.[i]?.ErrorCode);
    });
    if (left.length > 0) throw new EventPublishError(left.map((e) => e.id));
  }
}
