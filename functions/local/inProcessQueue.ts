import type { SqsHandler } from '../handlers/sqs';
import { invokedAs } from './invocation';
import { logger } from '../shared/logger';
import { newMessageId, sqsEventOf } from './sqsShape';

interface Envelope {
  id: string;
  body: string;
  receiveCount: number;
}

export interface InProcessQueueOptions {
  name: string;
  batchSize?: number;
  /** Deliveries before a message goes to the dead-letter list, as SQS's maxReceiveCount. */
  maxReceiveCount?: number;
  concurrency?: number;
  retryDelayMs?: (receiveCount: number) => number;
}

/**
 * SQS semantics in process: batches to a handler, partial batch failures retried with backoff,
 * a dead-letter list after maxReceiveCount. `drain()` resolves when nothing is queued or in flight.
 */
export class InProcessQueue {
  readonly deadLetters: Envelope[] = [];
  private readonly ready: Envelope[] = [];
  private inFlight = 0;
  private delayed = 0;
  private idleWaiters: (() => void)[] = [];
  private handler?: SqsHandler;
  private stopped = false;

  constructor(private readonly options: InProcessQueueOptions) {}

  attach(handler: SqsHandler): void {
    this.handler = handler;
    this.pump();
  }

  /** Queues the bodies and returns their message ids. */
  send(bodies: string[]): string[] {
    const envelopes = bodies.map((body) => ({ id: newMessageId(), body, receiveCount: 0 }));
    this.ready.push(...envelopes);
    this.pump();
    return envelopes.map((e) => e.id);
  }

  drain(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
  }

  get depth(): number {
    return this.ready.length + this.inFlight + this.delayed;
  }

  private isIdle(): boolean {
    return this.depth === 0;
  }

  private pump(): void {
    const concurrency = this.options.concurrency ?? 4;
    while (this.handler && !this.stopped && this.ready.length > 0 && this.inFlight < concurrency) {
      const batch = this.ready.splice(0, this.options.batchSize ?? 10);
      this.inFlight++;
      void this.deliver(batch).finally(() => {
        this.inFlight--;
        this.pump();
        this.notifyIfIdle();
      });
    }
    this.notifyIfIdle();
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((resolve) => resolve());
  }

  private async deliver(batch: Envelope[]): Promise<void> {
    for (const envelope of batch) envelope.receiveCount++;
    let failedIds: Set<string>;
    try {
      const response = await invokedAs(this.options.name, () => this.handler!(sqsEventOf(batch)));
      failedIds = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    } catch {
      failedIds = new Set(batch.map((e) => e.id));
    }
    for (const envelope of batch.filter((e) => failedIds.has(e.id))) this.retryLater(envelope);
  }

  private retryLater(envelope: Envelope): void {
    if (envelope.receiveCount >= (this.options.maxReceiveCount ?? 5)) {
      this.deadLetters.push(envelope);
      logger.error('message moved to dead-letter list', {
        queue: this.options.name,
        messageId: envelope.id,
        receiveCount: envelope.receiveCount,
      });
      return;
    }
    const delay = (this.options.retryDelayMs ?? defaultRetryDelay)(envelope.receiveCount);
    this.delayed++;
    setTimeout(() => {
      this.delayed--;
      this.ready.push(envelope);
      this.pump();
    }, delay).unref();
  }
}

/** Exponential backoff with full jitter, as SQS visibility timeouts would space redeliveries. */
const defaultRetryDelay = (receiveCount: number): number => Math.random() * Math.min(2000, 50 * 2 ** receiveCount);
