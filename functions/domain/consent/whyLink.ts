/**
 * The "why did I get this?" link of one email. It is a signed link token like the unsubscribe one
 * (unsubscribeToken.ts), with its own scope: `why:<sent at>#<job id>`, which names the email's delivery
 * log entry (with the token's step). Other links refuse this scope and /why refuses theirs.
 */

const PREFIX = 'why:';
/** The send time as the log entry has it: ISO-8601 in UTC with milliseconds (Date#toISOString). */
const SENT_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function whyScope(sentAt: string, jobId: string): string {
  return `${PREFIX}${sentAt}#${jobId}`;
}

export const isWhyScope = (scope: string): boolean => scope.startsWith(PREFIX);

/** The email a /why scope names, or undefined when the scope is another link's. */
export function parseWhyScope(scope: string): { sentAt: string; jobId: string } | undefined {
  if (!isWhyScope(scope)) return undefined;
  const rest = scope.slice(PREFIX.length);
  const cut = rest.indexOf('#');
  const sentAt = rest.slice(0, cut);
  const jobId = rest.slice(cut + 1);
  if (cut < 0 || !SENT_AT.test(sentAt) || jobId === '') return undefined;
  return { sentAt, jobId };
}
