import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * outputUrl is known at submit time and works in a browser without a token: it carries an HMAC
 * of the key, so only someone given the URL can fetch the file.
 */
export class OutputUrls {
  constructor(
    private readonly baseUrl: string,
    private readonly secret: string,
  ) {}

  signature(key: string): string {
    return createHmac('sha256', this.secret).update(key).digest('base64url').slice(0, 32);
  }

  urlFor(key: string): string {
    return `${this.baseUrl}/outputs/${encodeURIComponent(key)}?sig=${this.signature(key)}`;
  }

  verify(key: string, signature: unknown): boolean {
    if (typeof signature !== 'string') return false;
    const expected = Buffer.from(this.signature(key));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
