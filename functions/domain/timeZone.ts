/**
 * Apart from the event schemas (events.ts) so the send path can check a profile's zone without
 * loading zod at cold start.
 */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
