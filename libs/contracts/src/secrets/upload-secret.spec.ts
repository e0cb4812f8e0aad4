import {
  DEV_UPLOAD_SECRET_KEY,
  openSecret,
  openUploadSecret,
  SEALED_PREFIX,
  sealSecret,
  sealUploadSecret,
  SecretKeyError,
  uploadSecretKey,
} from './upload-secret';

describe('upload secret sealing', () => {
  const key = uploadSecretKey({ UPLOAD_SECRET_KEY: 'a-long-deployment-passphrase' });

  it('round-trips, hides the clear text, and never seals twice', () => {
    const sealed = sealSecret('wJalrXUtnFEMI/K7MDENG', key);
    expect(sealed).toMatch(/^enc:v1:[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('wJalrXUtnFEMI');
    expect(sealSecret(sealed, key)).toBe(sealed);
    expect(openSecret(sealed, key)).toBe('wJalrXUtnFEMI/K7MDENG');
    expect(sealSecret('same', key)).not.toBe(sealSecret('same', key));
  });

  it('passes clear text from outside producers through', () => {
    expect(openSecret('plain-secret', key)).toBe('plain-secret');
  });

  it('refuses a value sealed with another key or tampered with', () => {
    const other = uploadSecretKey({ UPLOAD_SECRET_KEY: 'another-deployment-passphrase' });
    const sealed = sealSecret('s3cr3t', key);
    expect(() => openSecret(sealed, other)).toThrow(SecretKeyError);
    // Flip one bit of the decoded cipher text: editing a base64 character may change only padding bits.
    const raw = Buffer.from(sealed.slice(SEALED_PREFIX.length), 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(() => openSecret(SEALED_PREFIX + raw.toString('base64url'), key)).toThrow(SecretKeyError);
  });

  it('seals only the access key secret of an upload object', () => {
    const upload = { provider: 's3' as const, params: { region: 'us-east-1', bucket: 'b', accessKeyId: 'AK', accessKeySecret: 'SK' } };
    const sealed = sealUploadSecret(upload, key);
    expect(sealed.params.accessKeyId).toBe('AK');
    expect(sealed.params.accessKeySecret).not.toBe('SK');
    expect(openUploadSecret(sealed, key)).toEqual(upload);
  });

  it('uses the development key when none is set and rejects short keys', () => {
    expect(uploadSecretKey({})).toEqual(uploadSecretKey({ UPLOAD_SECRET_KEY: DEV_UPLOAD_SECRET_KEY }));
    expect(() => uploadSecretKey({ UPLOAD_SECRET_KEY: 'short' })).toThrow(SecretKeyError);
  });
});
