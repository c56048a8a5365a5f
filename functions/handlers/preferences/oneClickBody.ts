import { header, bodyText, type HttpRequest } from '../http';

/**
 * Whether a POST body says `List-Unsubscribe=One-Click` (RFC 8058 §3.1). Mailbox providers SHOULD post it
 * as multipart/form-data and MAY post it urlencoded; real ones also send LF line ends, a charset
 * parameter, extra fields and trailing whitespace. Each of those is accepted: a refused one-click is a
 * customer's "no" lost. Parsing is the platform's own FormData reader, after the line ends and the
 * surrounding whitespace it is strict about are made regular.
 */
export async function saysOneClick(request: HttpRequest): Promise<boolean> {
  const text = bodyText(request).trim();
  const contentType = header(request, 'content-type') ?? '';
  const boundary =
    /boundary=("?)([^";]+)\1/i.exec(contentType)?.[2] ?? (text.startsWith('--') ? /^--([^\r\n]+)/.exec(text)?.[1]?.trim() : undefined);
  if (boundary && (/multipart\/form-data/i.test(contentType) || text.startsWith(`--${boundary}`))) {
    const regular = `${text.replace(/\r?\n/g, '\r\n')}\r\n`;
    try {
      const form = await new Response(regular, { headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }).formData();
      return isOneClick(form.get('List-Unsubscribe'));
    } catch {
      return false;
    }
  }
  return isOneClick(new URLSearchParams(text).get('List-Unsubscribe'));
}

const isOneClick = (value: unknown): boolean => typeof value === 'string' && value.trim() === 'One-Click';
