import type { Clock } from '../adapters/clock';
import type { Mailer } from '../adapters/ses/mailer';

/**
 * Local mode only. SES events on AWS carry the message's tags, send time and recipient; the local SES
 * stand-in keeps none of that. So the local mailer remembers them per message id (the latest 10,000, in
 * memory), and POST /dev/ses-events fills them into an event that names only `mail.messageId`: an open
 * can be fed as `{"eventType": "Open", "mail": {"messageId": "…"}}` (docs/results.md).
 */
export class SentMessages {
  private readonly sent = new Map<string, { tags: Record<string, string[]>; timestamp: string; destination: string[] }>();

  constructor(private readonly limit = 10_000) {}

  /** The mailer, remembering what it sent; the time is the application clock's, as the send used it. */
  wrap(mailer: Mailer, clock: Clock): Mailer {
    return {
      send: async (email) => {
        const result = await mailer.send(email);
        if (this.sent.size >= this.limit) this.sent.delete(this.sent.keys().next().value!);
        const tags = Object.fromEntries(email.tags.map((t) => [t.name, [t.value]]));
        this.sent.set(result.messageId, { tags, timestamp: clock.now().toISOString(), destination: [email.to] });
        return result;
      },
    };
  }

  /** The event with what SES would have said about the message filled in where it is missing. */
  complete(candidate: unknown): unknown {
    if (!candidate || typeof candidate !== 'object') return candidate;
    const mail = (candidate as { mail?: unknown }).mail;
    if (!mail || typeof mail !== 'object') return candidate;
    const known = this.sent.get(String((mail as { messageId?: unknown }).messageId));
    if (!known) return candidate;
    const given = mail as Record<string, unknown>;
    return {
      ...candidate,
      mail: {
        ...given,
        tags: given['tags'] ?? known.tags,
        timestamp: given['timestamp'] ?? known.timestamp,
        destination: given['destination'] ?? known.destination,
      },
    };
  }
}
