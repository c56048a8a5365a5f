import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** What the timed benchmark parts share: DynamoDB requests counted by SDK middleware, CPU from /proc, percentiles. */

export class RequestCounter {
  byOperation = new Map<string, number>();
  capacity = 0;
  capacityReported = false;
  reset(): void {
    this.byOperation.clear();
    this.capacity = 0;
  }
  get total(): number {
    return [...this.byOperation.values()].reduce((a, b) => a + b, 0);
  }
  attach(client: DynamoDBDocumentClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as Record<string, unknown>;
        input['ReturnConsumedCapacity'] ??= 'TOTAL';
        const op = String(context.commandName).replace(/Command$/, '');
        this.byOperation.set(op, (this.byOperation.get(op) ?? 0) + 1);
        const result = await next(args);
        const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] })
          .ConsumedCapacity;
        for (const c of [consumed].flat()) {
          if (c?.CapacityUnits !== undefined) {
            this.capacity += c.CapacityUnits;
            this.capacityReported = true;
          }
        }
        return result;
      },
      { step: 'initialize', name: 'tactfulBenchCounter' },
    );
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** The machine's load average over the last minute, rounded: the host is shared, so figures carry it. */
export const loadAverage = (): number => Math.round(loadavg()[0]! * 10) / 10;

export const round = (n: number): number => Math.round(n * 100) / 100;
