import { createHash, randomBytes } from 'node:crypto';

export interface Tenant {
  id: string;
  name: string;
}

/** Tokens are stored only as hashes; the token itself is shown once, when it is made. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const newToken = () => `vrs_${randomBytes(24).toString('base64url')}`;
