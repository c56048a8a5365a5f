import { type Clock, isoNow } from './ports/clock';
import type { DeliveryRecord, DeliveryStatus } from './ports/deliveries';
import type { EventPublisher } from './ports/queues';
import { randomUUID } from 'node:crypto';
import type { ComplianceAction, MappedDelivery } from '../domain/integrations/delivery';
import { mappedTypes } from '../domain/integrations/delivery';
import { logger } from '../shared/logger';
import { count } from '../shared/metrics';
import { toErrorContext } from '../shared/errors';
import { eraseCustomer, type PreferenceDeps } from './preferences';

/** Where deliveries are recorded and platform delivery ids remembered (DeliveryStore). */
export interface DeliveryLog {
  record(delivery: DeliveryRecord): Promise<void>;
  seen(source: string, deliveryKey: string): Promise<boolean>;
  markSeen(source: string, deliveryKey: string, now: string): Promise<void>;
}

/** The compliance requests a platform can make (Shopify's mandatory webhooks). */
export interface Compliance {
  erase(customerId: string, via: string): Promise<void>;
  /** Every customer of the deployment: one deployment serves one shop. */
  eraseAll(via: string): Promise<number>;
  dataRequest(customerId: string, via: string): Promise<void>;
}

export interface DeliveryDeps {
  publisher: EventPublisher;
  deliveries: DeliveryLog;
  clock: Clock;
  compliance?: Compliance;
}

export interface DeliveryInput {
  source: string;
  sender: string;
  topic?: string;
  /** The platform's identity of this delivery (a webhook id): a repeat has the effect of one. */
  deliveryKey?: string;
  mapped: MappedDelivery;
}

export interface DeliveryOutcome {
  status: DeliveryStatus;
  accepted: string[];
  rejected: MappedDelivery['rejected'];
  ignored: Record<string, number>;
}

function statusOf(mapped: MappedDelivery): DeliveryStatus {
  const done = mapped.accepted.length + mapped.actions.length;
  if (mapped.rejected.length === 0) return done > 0 ? 'accepted' : 'ignored';
  return done > 0 ? 'partly-refused' : 'refused';
}

/**
 * Hands a mapped delivery to the bus, as POST /events does, carries out its compliance actions, and
 * records what happened. Throws when the events could not be published (the caller answers 503 and
 * the platform retries; ids make that safe). Recording is best effort: it never fails a delivery.
 */
export async function receiveDelivery(input: DeliveryInput, deps: DeliveryDeps): Promise<DeliveryOutcome> {
  const { mapped, source, sender } = input;
  const now = isoNow(deps.clock);
  const base = { id: randomUUID(), source, sender, receivedAt: now, ...(input.topic ? { topic: input.topic } : {}) };
  if (input.deliveryKey && (await deps.deliveries.seen(source, input.deliveryKey))) {
    await recordQuietly(deps, { ...base, status: 'duplicate', mapped: {}, ignored: {}, rejected: [] });
    return { status: 'duplicate', accepted: [], rejected: [], ignored: {} };
  }
  if (mapped.accepted.length) await deps.publisher.publish(mapped.accepted);
  const actions: Record<string, number> = {};
  for (const action of mapped.actions) {
    await runAction(action, source, deps);
    actions[action.kind] = (actions[action.kind] ?? 0) + 1;
  }
  if (input.deliveryKey) await deps.deliveries.markSeen(source, input.deliveryKey, now);
  const status = statusOf(mapped);
  await recordQuietly(deps, {
    ...base,
    status,
    mapped: mappedTypes(mapped.accepted),
    ignored: mapped.ignored,
    rejected: mapped.rejected,
    ...(mapped.actions.length ? { actions } : {}),
  });
  logger.info('delivery received', {
    source,
    sender,
    status,
    accepted: mapped.accepted.length,
    rejected: mapped.rejected.length,
    ignored: Object.values(mapped.ignored).reduce((a, b) => a + b, 0),
  });
  count('EventsAccepted', mapped.accepted.length);
  if (mapped.rejected.length) count('EventsRejected', mapped.rejected.length);
  return { status, accepted: mapped.accepted.map((e) => e.id), rejected: mapped.rejected, ignored: mapped.ignored };
}

async function runAction(action: ComplianceAction, source: string, deps: DeliveryDeps): Promise<void> {
  if (!deps.compliance) throw new Error('compliance actions are not wired for this function');
  if (action.kind === 'erase') await deps.compliance.erase(action.customerId, source);
  else if (action.kind === 'erase-shop') await deps.compliance.eraseAll(source);
  else await deps.compliance.dataRequest(action.customerId, source);
}

async function recordQuietly(deps: DeliveryDeps, record: DeliveryRecord): Promise<void> {
  try {
    await deps.deliveries.record(record);
  } catch (error) {
    logger.warn('delivery not recorded', { source: record.source, sender: record.sender, ...toErrorContext(error) });
  }
}

/** Erasure and data requests through the same use cases as the admin API and the preference center. */
export function complianceOf(deps: PreferenceDeps & { tokenKey: () => Promise<Buffer> }): Compliance {
  return {
    erase: async (customerId, via) => void (await eraseCustomer(customerId, via, deps)),
    eraseAll: async (via) => {
      const profiles = await deps.customers.scanProfiles();
      for (const p of profiles) await eraseCustomer(p.customerId, via, deps);
      return profiles.length;
    },
    // The export is made on request from the audit entry (admin API, CLI, console): its content is not kept twice.
    dataRequest: async (customerId, via) => deps.customers.audit({ action: 'data_request', customerId, via, at: isoNow(deps.clock) }),
  };
}
