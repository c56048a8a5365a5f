import { SESv2Client, SendEmailCommand, SESv2ServiceException } from '@aws-sdk/client-sesv2';

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

const PERMANENT = new Set(['MessageRejected', 'BadRequestException', 'MailFromDomainNotVerifiedException', 'NotFoundException']);

export function classifySesError(error: unknown): TransientSendError | PermanentSendError {
  if (error instanceof SESv2ServiceException) {
    if (PERMANENT.has(error.name) && !/maximum sending rate/i.test(error.message)) return new PermanentSendError(error.name, error);
    return new TransientSendError(error.name, error);
  }
  const code = error instanceof Error ? error.name : 'UnknownError';
  return new TransientSendError(code, error);
}

// Built with the other clients, under the one retry policy.
export { createSesClient } from '../awsClients';

export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESv2Client,
    private readonly options: { configurationSetName?: string; untrackedConfigurationSetName?: string } = {},
  ) {}

  /** The tracked set only for emails whose recipient allowed tracking; every other email goes through the untracked one. */
  configurationSetFor(email: Pick<OutgoingEmail, 'tracking'>): string | undefined {
    return email.tracking ? this.options.configurationSetName : this.options.untrackedConfigurationSetName;
  }

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    try {
      const out = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: email.from,
          Destination: { ToAddresses: [email.to] },
          ConfigurationSetName: this.configurationSetFor(email),
          EmailTags: email.tags.map((t) => ({ Name: t.name, Value: t.value })),
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: { Html: { Data: email.html, Charset: 'UTF-8' }, Text: { Data: email.text, Charset: 'UTF-8' } },
              Headers: email.headers.map((h) => ({ Name: h.name, Value: h.value })),
            },
          },
        }),
      );
      if (!out.MessageId) throw new TransientSendError('NoMessageId');
      return { messageId: out.MessageId };
    } catch (error) {
      if (error instanceof TransientSendError) throw error;
      throw classifySesError(error);
    }
  }
}
