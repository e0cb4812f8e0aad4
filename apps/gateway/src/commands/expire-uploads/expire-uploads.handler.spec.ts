import type { UploadRecord } from '../../domain/uploads';
import { ExpireUploadsHandler, type ExpiringUploads } from './expire-uploads.handler';

const upload = (id: string, expiresAt: string): UploadRecord => ({
  id,
  tenantId: 't1',
  filename: 'a.mp4',
  contentType: 'video/mp4',
  size: 10,
  state: 'complete',
  expiresAt: new Date(expiresAt),
});

/** Records in memory, answering "expired" against whatever clock the test passes. */
class FakeRecords implements ExpiringUploads {
  constructor(readonly rows: UploadRecord[]) {}
  async expired(now: Date, limit: number) {
    return this.rows.filter((row) => row.expiresAt <= now).slice(0, limit);
  }
  async delete(id: string) {
    this.rows.splice(
      this.rows.findIndex((row) => row.id === id),
      1,
    );
  }
}

describe('ExpireUploadsHandler', () => {
  it('deletes the object and the record of each expired upload only, at the time the clock says', async () => {
    const records = new FakeRecords([upload('u1', '2026-01-01T10:00:00Z'), upload('u2', '2026-01-01T11:00:00Z')]);
    const deletedKeys: string[] = [];
    const handler = new ExpireUploadsHandler(records, {
      delete: async (key) => {
        deletedKeys.push(key);
      },
    });

    expect(await handler.run(new Date('2026-01-01T09:59:59Z'))).toBe(0);
    expect(await handler.run(new Date('2026-01-01T10:00:00Z'))).toBe(1);
    expect(deletedKeys).toEqual(['uploads/t1/u1']);
    expect(records.rows.map((row) => row.id)).toEqual(['u2']);
    expect(await handler.run(new Date('2026-01-02T00:00:00Z'))).toBe(1);
    expect(deletedKeys).toEqual(['uploads/t1/u1', 'uploads/t1/u2']);
  });

  it('keeps the record when the object cannot be deleted, so the next run tries again', async () => {
    const records = new FakeRecords([upload('u1', '2026-01-01T10:00:00Z')]);
    let failing = true;
    const handler = new ExpireUploadsHandler(records, {
      delete: async () => {
        if (failing) throw new Error('storage down');
      },
    });
    await expect(handler.run(new Date('2026-01-01T12:00:00Z'))).rejects.toThrow('storage down');
    expect(records.rows).toHaveLength(1);
    failing = false;
    expect(await handler.run(new Date('2026-01-01T12:00:00Z'))).toBe(1);
    expect(records.rows).toHaveLength(0);
  });

  it('works through more expired uploads than one batch holds', async () => {
    const records = new FakeRecords(Array.from({ length: 250 }, (_, i) => upload(`u${i}`, '2026-01-01T10:00:00Z')));
    const handler = new ExpireUploadsHandler(records, { delete: async () => undefined });
    expect(await handler.run(new Date('2026-01-01T10:00:01Z'))).toBe(250);
    expect(records.rows).toHaveLength(0);
  });
});
