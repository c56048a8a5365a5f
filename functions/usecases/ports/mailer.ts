/** Sending one email, as the use cases need it (adapters/ses/mailer.ts implements it with SES). */
export interface OutgoingEmail {
  to: string;
  from: string;
  subject: string;
  html: string;
  text: string;
  headers: { name: string; value: string }[];
  /** SES message tags: feed per-campaign metrics from SES events. Values must be [A-Za-z0-9_-]. */
  tags: { name: string; value: string }[];
  /**
   * Whether SES may track opens and clicks (the customer's `tracking` consent): it picks the
   * configuration set, and only the tracked one has open and click tracking.
   */
  tracking: boolean;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

/** SES did not accept the message for now (throttled, unavailable): try again later. */
export class TransientSendError extends Error {
  override name = 'TransientSendError';
  constructor(
    readonly code: string,
    cause?: unknown,
  ) {
    super(`email not accepted for now: ${code}`, { cause });
  }
}

/** SES refused the message itself: retrying cannot help. */
export class PermanentSendError extends Error {
  override name = 'PermanentSendError';
  constructor(
    readonly code: string,
    cause?: unknown,
  ) {
    super(`email refused: ${code}`, { cause });
  }
}
