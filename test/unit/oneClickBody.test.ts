import type { HttpRequest } from '../../functions/handlers/http';
import { saysOneClick } from '../../functions/handlers/preferences/oneClickBody';

const request = (body: string, contentType?: string, isBase64Encoded = false): HttpRequest =>
  ({ body, isBase64Encoded, headers: contentType ? { 'content-type': contentType } : {} }) as unknown as HttpRequest;

const multipart = ['--b1', 'Content-Disposition: form-data; name="List-Unsubscribe"', '', 'One-Click', '--b1--', ''].join('\r\n');

describe('saysOneClick (RFC 8058 §3.1 bodies)', () => {
  it('reads multipart and urlencoded bodies, also base64-encoded as API Gateway may hand them over', async () => {
    expect(await saysOneClick(request(multipart, 'multipart/form-data; boundary=b1'))).toBe(true);
    expect(await saysOneClick(request(Buffer.from(multipart).toString('base64'), 'multipart/form-data; boundary=b1', true))).toBe(true);
    expect(
      await saysOneClick(request(Buffer.from('List-Unsubscribe=One-Click').toString('base64'), 'application/x-www-form-urlencoded', true)),
    ).toBe(true);
  });

  it('finds the boundary in the body when the content type lost it', async () => {
    expect(await saysOneClick(request(multipart.replaceAll('\r\n', '\n')))).toBe(true);
  });

  it('says no to anything else', async () => {
    expect(await saysOneClick(request('List-Unsubscribe=Two-Clicks', 'application/x-www-form-urlencoded'))).toBe(false);
    expect(await saysOneClick(request('--b1\r\ngarbage', 'multipart/form-data; boundary=b1'))).toBe(false);
    expect(await saysOneClick(request('', 'multipart/form-data; boundary=b1'))).toBe(false);
    expect(await saysOneClick(request(multipart.replace('List-Unsubscribe', 'Other'), 'multipart/form-data; boundary=b1'))).toBe(false);
  });
});
