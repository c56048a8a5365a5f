/** Links in emails: only http(s) is ever emitted, and the shop's links carry the campaign's parameters. */

export type Tracking = Record<string, string>;

export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** The parameters analytics tools read (utm_*), naming the campaign and step, never the customer. */
export function trackingFor(campaignId: string, stepId: string, variant?: string): Tracking {
  return { utm_source: 'tactful', utm_medium: 'email', utm_campaign: campaignId, utm_content: variant ? `${stepId}-${variant}` : stepId };
}

/** Adds tracking parameters the link does not already set (a marketer's own utm_* wins). */
export function withTracking(url: string, tracking: Tracking | undefined): string {
  if (!tracking) return url;
  const parsed = new URL(url);
  for (const [key, value] of Object.entries(tracking)) if (!parsed.searchParams.has(key)) parsed.searchParams.set(key, value);
  return parsed.toString();
}
