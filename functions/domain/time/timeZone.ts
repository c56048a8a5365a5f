import { BoundedMap } from '../../lib/boundedMap';

/**
 * Apart from the event schemas (events.ts) so the send path can check a profile's zone without
 * loading zod at cold start.
 */

/**
 * Building an Intl formatter costs more than rendering an email: each zone is checked once per
 * container. Zones come from profiles: bounded, for a stream of made-up ones.
 */
const checked = new BoundedMap<string, boolean>(1000);

export function isValidTimeZone(zone: string): boolean {
  let valid = checked.get(zone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      valid = true;
    } catch {
      valid = false;
    }
    checked.set(zone, valid);
  }
  return valid;
}
