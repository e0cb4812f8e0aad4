import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { deadLetterTopic, TOPICS } from '@vrs/contracts';
import { DLQ_HEADERS } from '@vrs/messaging';
import { queryDatabase, readTopic } from '@vrs/testing';
import { REPO_ROOT, SERVICE_NAMES } from './system';

/**
 * What the system knows of jobs that did not end, for the failure message: the orchestrator's row, a
 * dead-lettered request and the services' log lines that name the job (not the API's access log). CI
 * keeps only the test's output.
 */
export async function strandedJobsReport(kafka: Kafka, jobIds: string[], dlqFrom = new Map<number, string>()): Promise<string> {
  if (jobIds.length === 0) return '';
  const rows = await queryDatabase<{ id: string; status: string }>('vrs_orchestrator', 'SELECT id, status FROM jobs WHERE id = ANY($1)', [jobIds]);
  const dead = await readTopic(kafka, deadLetterTopic(TOPICS.joinRequested), dlqFrom, (m) => jobIds.includes(m.key ?? ''), jobIds.length, 5_000).catch(
    () => [],
  );
  // Read once for all jobs: the logs can be tens of megabytes after a suite.
  const logLines = SERVICE_NAMES.flatMap((name) => {
    const file = join(REPO_ROOT, '.var/log', `${name}.log`);
    return existsSync(file)
      ? readFileSync(file, 'utf8')
          .split('\n')
          .filter((line) => !line.includes('"msg":"request"'))
      : [];
  });
  return jobIds
    .map((id) => {
      const row = rows.find((r) => r.id === id);
      const refusal = dead.find((m) => m.key === id)?.headers[DLQ_HEADERS.reason];
      const lines = logLines.filter((line) => line.includes(id));
      return [
        `job ${id}: orchestrator ${row ? row.status : 'has no row'}; ${refusal ? `join.requested.dlq: ${refusal}` : 'not in join.requested.dlq'}`,
        ...lines.slice(-10).map((line) => `  ${line.slice(0, 400)}`),
      ].join('\n');
    })
    .join('\n');
}
