import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { TransactionScope } from '@vrs/service-kit';
import { testDataSource } from '@vrs/testing';
import { RECEIVE_LEASE_MS } from '../domain/uploads';
import { CreateUploads1796110473929 } from '../migrations/1796110473929-create-uploads';
import { AddUploadLeases1796113902794 } from '../migrations/1796113902794-add-upload-leases';
import { SqlUploadRecords } from './sql-upload-records';

const T0 = new Date('2026-06-01T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe('SqlUploadRecords (PostgreSQL): one PUT at a time, and a PUT whose gateway died does not lock the upload', () => {
  let dataSource: DataSource;
  let records: SqlUploadRecords;

  beforeAll(async () => {
    dataSource = await testDataSource('vrs_test_gateway_uploads', [CreateUploads1796110473929, AddUploadLeases1796113902794]);
    records = new SqlUploadRecords(new TransactionScope(dataSource));
  });
  afterAll(() => dataSource.destroy());

  const announce = async () => {
    const id = randomUUID();
    await records.insert({ id, tenantId: 't1', filename: 'a.mp4', contentType: 'video/mp4', size: 10, state: 'pending', expiresAt: at(3_600_000) });
    return id;
  };

  it('lets a second PUT take over only once the first stopped renewing its lease', async () => {
    const id = await announce();
    const [first, second] = [randomUUID(), randomUUID()];
    expect(await records.claim(id, first, T0)).toMatchObject({ id, state: 'receiving' });
    expect(await records.claim(id, second, at(RECEIVE_LEASE_MS - 1))).toBeUndefined();
    expect(await records.renew(id, first, at(RECEIVE_LEASE_MS - 1))).toBe(true);
    expect(await records.claim(id, second, at(RECEIVE_LEASE_MS + 1))).toBeUndefined(); // renewed: still held

    // The first PUT's gateway dies: no more renewals. After the lease, the next PUT may take it.
    expect(await records.claim(id, second, at(2 * RECEIVE_LEASE_MS))).toMatchObject({ id });
    expect(await records.renew(id, first, at(2 * RECEIVE_LEASE_MS))).toBe(false);
    expect(await records.complete(id, first, at(2 * RECEIVE_LEASE_MS))).toBe(false);
    await records.release(id, first); // the dead PUT's clean-up does not free the live one's lease
    expect(await records.claim(id, randomUUID(), at(2 * RECEIVE_LEASE_MS + 1))).toBeUndefined();
    expect(await records.complete(id, second, at(2 * RECEIVE_LEASE_MS + 2))).toBe(true);
    expect(await records.find(id)).toMatchObject({ state: 'complete' });
    expect(await records.claim(id, randomUUID(), at(10 * RECEIVE_LEASE_MS))).toBeUndefined();
  });

  it('gives a failed PUT back for another try, and never claims an expired upload', async () => {
    const id = await announce();
    const owner = randomUUID();
    await records.claim(id, owner, T0);
    await records.release(id, owner);
    expect(await records.find(id)).toMatchObject({ state: 'pending' });
    expect(await records.claim(id, randomUUID(), at(3_600_000))).toBeUndefined();
    expect(await records.claim(id, randomUUID(), at(1))).toMatchObject({ id });
  });

  it("lists expired uploads by the clock given, only the tenant's own when asked", async () => {
    const id = await announce();
    expect((await records.expired(at(3_599_999), 1000)).map((u) => u.id)).not.toContain(id);
    expect((await records.expired(at(3_600_000), 1000)).map((u) => u.id)).toContain(id);
    expect(await records.findForTenant('t2', [id])).toEqual([]);
    expect((await records.findForTenant('t1', [id])).map((u) => u.id)).toEqual([id]);
    await records.delete(id);
    expect(await records.find(id)).toBeUndefined();
  });
});
