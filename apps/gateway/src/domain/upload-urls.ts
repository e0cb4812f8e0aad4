import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a signed upload URL lets its holder do: PUT the bytes once (clients), or read them (the stitcher and render-adapter). */
export type UploadGrant = 'write' | 'read';

/**
 * Signed capability URLs of one upload: the signature covers the grant and the upload id, under a key
 * derived from OUTPUT_URL_SECRET for uploads only, so no output signature opens an upload or the other way round.
 */
export class UploadUrls {
  private readonly key: Buffer;

  constructor(
    private readonly publicBaseUrl: string,
    private readonly internalBaseUrl: string,
    secret: string,
  ) {
    this.key = createHmac('sha256', secret).update('vrs source uploads').digest();
  }

  /** Where the client PUTs the bytes. */
  writeUrl(id: string): string {
    return `${this.publicBaseUrl}/uploads/${id}/content?sig=${this.signature('write', id)}`;
  }

  /** What a job's `upload://<id>` becomes before it is published: readable by the services that fetch clips. */
  readUrl(id: string): string {
    return `${this.internalBaseUrl}/uploads/${id}/content?sig=${this.signature('read', id)}`;
  }

  verify(grant: UploadGrant, id: string, signature: unknown): boolean {
    if (typeof signature !== 'string') return false;
    const expected = Buffer.from(this.signature(grant, id));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private signature(grant: UploadGrant, id: string): string {
    return createHmac('sha256', this.key).update(`${grant}\n${id}`).digest('base64url');
  }
}
