import { z } from 'zod';

/** Defaults of source uploads (POST /uploads); the gateway's MAX_UPLOAD_BYTES and UPLOAD_EXPIRY_SECONDS override them. */
export const UPLOAD_LIMITS = {
  /** Largest declared size: the same as the stitcher's largest clip. */
  maxBytes: 2 * 1024 ** 3,
  /** How long an upload can be used in jobs; the object and its record are then deleted. */
  expirySeconds: 24 * 60 * 60,
} as const;

/** Only media can be uploaded: these top-level types, any subtype. */
export const UPLOAD_MEDIA_TYPES = ['video', 'image', 'audio'] as const;

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const UPLOAD_SRC = new RegExp(`^upload://(${UUID})$`);
export const UPLOAD_ID_PATTERN = new RegExp(`^${UUID}$`);

/** The `src` that names an upload in a job (`upload://<id>`), as POST /uploads answers it. */
export const uploadSrcFor = (id: string) => `upload://${id}`;

/** The upload id in an `upload://<id>` source, or undefined for any other value. */
export function uploadIdIn(src: string): string | undefined {
  return UPLOAD_SRC.exec(src)?.[1];
}

/** The body of POST /uploads: what the client is about to PUT. */
export const createUploadBody = z.strictObject({
  filename: z
    .string()
    .min(1)
    .max(255)
    .refine((name) => !/[\u0000-\u001f/\\]/.test(name), 'must be a file name without slashes or control characters'),
  contentType: z
    .string()
    .max(255)
    .regex(
      new RegExp(`^(${UPLOAD_MEDIA_TYPES.join('|')})/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$`),
      `must be a ${UPLOAD_MEDIA_TYPES.map((type) => `${type}/*`).join(', ')} media type`,
    ),
  size: z.number().int('must be a whole number of bytes').positive('must be at least 1 byte'),
});
export type CreateUploadBody = z.infer<typeof createUploadBody>;

/** The 201 answer of POST /uploads. */
export const uploadCreated = z.strictObject({
  id: z.string(),
  /** PUT the bytes here, exactly `size` of them; no token needed (the URL carries a signature). */
  uploadUrl: z.string(),
  /** Use as a clip's or media asset's `src` until `expiresAt`. */
  src: z.string(),
  expiresAt: z.string().datetime(),
});
export type UploadCreated = z.infer<typeof uploadCreated>;
