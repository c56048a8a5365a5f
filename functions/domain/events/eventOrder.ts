/**
 * The order in which shop events take effect: by `occurredAt`, then by event id. Two events of the same
 * instant (a shop that stamps to the second, a batch stamped at once) take effect in the same order
 * whatever order they arrive in, so redelivery and parallel queues cannot change the outcome. State that
 * an event set remembers the event's id beside its time; state written before ids were kept compares as
 * the empty id, so any event of the same instant wins over it, as every event did before.
 */
export interface AppliedStamp {
  at: string | undefined;
  eventId?: string | undefined;
}

/** Whether an event at `at` with id `eventId` comes after what set the state (nothing set it: yes). */
export function comesAfter(at: string, eventId: string, applied: AppliedStamp | undefined): boolean {
  if (!applied?.at) return true;
  if (at !== applied.at) return at > applied.at;
  return eventId > (applied.eventId ?? '');
}
