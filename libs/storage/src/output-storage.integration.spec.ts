import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { createOutputStorage } from './create-output-storage';
import { LocalOutputStorage } from './local-output-storage';
import { InvalidKeyError, OutputNotFoundError, type OutputStorage } from './output-storage';
import { S3OutputStorage } from './s3-output-storage';
import { createTestBucket, S3_TEST, testS3Client } from './testing/s3-test-env';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe.each(['local', 's3'] as const)('%s OutputStorage', (driver) => {
  let work: string;
  let storage: OutputStorage;
  let admin: S3Client;
  let dropBucket: () => Promise<void> = async () => undefined;
  const content = randomBytes(300_000);

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'vrs-storage-'));
    await writeFile(join(work, 'in.mp4'), content);
    if (driver === 'local') {
      storage = createOutputStorage({ driver: 'local', rootDir: join(work, 'root') });
    } else {
      admin = testS3Client();
      const created = await createTestBucket(admin, 'outputs');
      dropBucket = created.drop;
      storage = createOutputStorage({ driver: 's3', ...S3_TEST, bucket: created.bucket, forcePathStyle: true, partSize: 5 * 1024 * 1024 });
    }
  });

  afterAll(async () => {
    await dropBucket();
    if (storage instanceof S3OutputStorage) storage.close();
    admin?.destroy();
    await rm(work, { recursive: true, force: true });
  });

  it('is the driver the config asked for', () => {
    expect(storage).toBeInstanceOf(driver === 'local' ? LocalOutputStorage : S3OutputStorage);
  });

  it('stores a file and reads it back whole and by range', async () => {
    await storage.put('jobs/j1/out.mp4', join(work, 'in.mp4'), 'video/mp4');
    expect(await storage.exists('jobs/j1/out.mp4')).toBe(true);
    expect(await storage.stat('jobs/j1/out.mp4')).toEqual({ size: content.length });
    expect((await readAll(await storage.createReadStream('jobs/j1/out.mp4'))).equals(content)).toBe(true);
    const part = await readAll(await storage.createReadStream('jobs/j1/out.mp4', { start: 1000, end: 1999 }));
    expect(part.equals(content.subarray(1000, 2000))).toBe(true);
  });

  it('replaces an existing key with the new content', async () => {
    await writeFile(join(work, 'small.mp4'), 'second version');
    await storage.put('jobs/j2/out.mp4', join(work, 'in.mp4'), 'video/mp4');
    await storage.put('jobs/j2/out.mp4', join(work, 'small.mp4'), 'video/mp4');
    expect((await readAll(await storage.createReadStream('jobs/j2/out.mp4'))).toString()).toBe('second version');
  });

  it('deletes, and treats a missing key as missing everywhere', async () => {
    await storage.put('jobs/j3/out.mp4', join(work, 'in.mp4'), 'video/mp4');
    await storage.delete('jobs/j3/out.mp4');
    await storage.delete('jobs/j3/out.mp4');
    expect(await storage.exists('jobs/j3/out.mp4')).toBe(false);
    await expect(storage.stat('jobs/j3/out.mp4')).rejects.toBeInstanceOf(OutputNotFoundError);
    await expect(storage.createReadStream('jobs/j3/out.mp4')).rejects.toBeInstanceOf(OutputNotFoundError);
  });

  it.each(['../escape.mp4', 'a/../../b', '/etc/passwd', 'a//b', 'a\\b', '', './x'])('refuses the key %j', async (key) => {
    await expect(storage.put(key, join(work, 'in.mp4'), 'video/mp4')).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(storage.exists(key)).rejects.toBeInstanceOf(InvalidKeyError);
  });

  it('stores a file larger than one part (multipart on S3) intact', async () => {
    const big = randomBytes(12 * 1024 * 1024);
    await writeFile(join(work, 'big.mp4'), big);
    await storage.put('jobs/big/out.mp4', join(work, 'big.mp4'), 'video/mp4');
    expect((await readAll(await storage.createReadStream('jobs/big/out.mp4'))).equals(big)).toBe(true);
  });
});

describe('LocalOutputStorage atomic writes', () => {
  it('leaves no temp file behind and no file at all when the source is missing', async () => {
    const root = await mkdtemp(join(tmpdir(), 'vrs-storage-'));
    const storage = new LocalOutputStorage(root);
    await expect(storage.put('jobs/x/out.mp4', join(root, 'does-not-exist.mp4'), 'video/mp4')).rejects.toThrow(/ENOENT/);
    expect(await readdir(join(root, 'jobs/x'))).toEqual([]);
    await rm(root, { recursive: true, force: true });
  });

  it('links a file of its own filesystem instead of copying it, and copies one from another', async () => {
    const root = await mkdtemp(join(tmpdir(), 'vrs-storage-'));
    const storage = new LocalOutputStorage(join(root, 'outputs'));
    const bytes = randomBytes(64 * 1024);
    await writeFile(join(root, 'stitched.mp4'), bytes);
    await storage.put('jobs/linked.mp4', join(root, 'stitched.mp4'), 'video/mp4');
    expect((await stat(join(root, 'outputs/jobs/linked.mp4'))).ino).toBe((await stat(join(root, 'stitched.mp4'))).ino);
    await rm(join(root, 'stitched.mp4'));
    expect(await readFile(join(root, 'outputs/jobs/linked.mp4'))).toEqual(bytes);

    // /dev/shm is a memory filesystem of its own: a link across filesystems fails, so the bytes are copied.
    const elsewhere = await mkdtemp('/dev/shm/vrs-storage-');
    await writeFile(join(elsewhere, 'stitched.mp4'), bytes);
    await storage.put('jobs/copied.mp4', join(elsewhere, 'stitched.mp4'), 'video/mp4');
    expect((await stat(join(root, 'outputs/jobs/copied.mp4'))).ino).not.toBe((await stat(join(elsewhere, 'stitched.mp4'))).ino);
    expect(await readFile(join(root, 'outputs/jobs/copied.mp4'))).toEqual(bytes);
    await Promise.all([rm(root, { recursive: true, force: true }), rm(elsewhere, { recursive: true, force: true })]);
  });
});
