import { PermanentSendError, TransientSendError, type Mailer, type OutgoingEmail } from '../../usecases/ports/mailer';
import { SESv2Client, SendEmailCommand, SESv2ServiceException } from '@aws-sdk/client-sesv2';

// The port and its two failures are the use cases' (usecases/ports/mailer.ts).
export { PermanentSendError, TransientSendError, type Mailer, type OutgoingEmail } from '../../usecases/ports/mailer';

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
