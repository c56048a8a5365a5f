/**
 * Apart from the event schemas (events.ts) so the send path can check a profile's zone without
 * loading zod at cold start.
 */

/** Building an Intl formatter costs more than rendering an email: each zone is checked once per container. */
const checked = new Map<string, boolean>();

export function isValidTimeZone(zone: string): boolean {
  let valid = checked.get(zone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      valid = true;
    } catch {
      valid = false;
    }
    // Zones come from profiles: bound the memory a stream of made-up ones could take.
    if (checked.size >= 1000) checked.clear();
    checked.set(zone, valid);
  }
  return valid;
}
