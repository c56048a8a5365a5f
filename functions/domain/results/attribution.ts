import type { Campaign } from '../journeys/campaign';
import { durationToMillis } from '../time/duration';

/**
 * An order placed within a campaign's attribution window after one of its emails is that email's
 * conversion: the last email wins, once per order. An order by a held-out customer within the window
 * counts for the holdout group, so lift can be measured.
 */
export interface LoggedSend {
  campaignId: string;
  stepId: string;
  outcome: string;
  reason?: string;
  variant?: string;
  messageId?: string;
  at: string;
}

export interface Attribution {
  customerId: string;
  orderId: string;
  campaignId: string;
  variant: string;
  stepId: string;
  messageId?: string;
  revenue: number;
  currency: string;
  emailAt: string;
  orderAt: string;
  heldOut: boolean;
}

export function attributeOrder(
  order: { customerId: string; orderId: string; total: number; currency: string; placedAt: string },
  log: LoggedSend[],
  campaigns: Campaign[],
): Attribution | undefined {
  const windows = new Map(campaigns.map((c) => [c.id, durationToMillis(c.attributionWindow)]));
  const orderMs = Date.parse(order.placedAt);
  const inWindow = (e: LoggedSend) => {
    const window = windows.get(e.campaignId);
    const at = Date.parse(e.at);
    return window !== undefined && at <= orderMs && orderMs - at <= window;
  };
  const byTime = [...log].sort((a, b) => b.at.localeCompare(a.at));
  const sent = byTime.find((e) => e.outcome === 'sent' && inWindow(e));
  const held = byTime.find((e) => e.outcome === 'skipped' && e.reason === 'held-out' && inWindow(e));
  const chosen = sent ?? held;
  if (!chosen) return undefined;
  return {
    customerId: order.customerId,
    orderId: order.orderId,
    campaignId: chosen.campaignId,
    variant: chosen === sent ? (chosen.variant ?? 'default') : 'holdout',
    stepId: chosen.stepId,
    messageId: chosen.messageId,
    revenue: order.total,
    currency: order.currency,
    emailAt: chosen.at,
    orderAt: order.placedAt,
    heldOut: chosen !== sent,
  };
}
