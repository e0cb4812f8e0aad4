import type { DataSource } from 'typeorm';
import { sharedRead } from '@vrs/observability';
import { outboxOldestMessageAge, outboxPendingMessages } from './messaging-metrics';

/** Samples the service's outbox table on every scrape: how much is waiting, and for how long. */
export function watchOutbox(dataSource: DataSource): void {
  const read = sharedRead(async () => {
    const [row] = await dataSource.query(
      'SELECT count(*)::bigint AS pending, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest FROM outbox',
    );
    return { pending: Number(row.pending), oldest: Number(row.oldest) };
  });
  outboxPendingMessages.sampleWith(async () => [{ labels: {}, value: (await read()).pending }]);
  outboxOldestMessageAge.sampleWith(async () => [{ labels: {}, value: (await read()).oldest }]);
}
