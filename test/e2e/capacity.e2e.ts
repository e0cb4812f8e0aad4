import { randomUUID } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { childJobId, CONSUMER_GROUPS, TOPICS } from '@vrs/contracts';
import { partitionOfKey } from '@vrs/messaging';
import { readTopic, testKafka, topicEnd, waitFor } from '@vrs/testing';
import {
  apiClient,
  createTenant,
  ensureServices,
  killService,
  publishWithKcat,
  REPO_ROOT,
  SAMPLE_MEDIA,
  type ApiClient,
  type TenantCredentials,
} from '../support/system';

/**
 * Capacity, not partitions, sets how much a worker runs at once (libs/messaging ConsumerPool). Each
 * scenario puts the messages on one partition on purpose (ids chosen with the producers' partitioner,
 * sent through the public Kafka entry point), the case where parallelism used to follow the partitions.
 * The services run with their defaults: STITCH_CONCURRENCY 8, RENDER_CONCURRENCY 3.
 */
describe('capacity, not partitions, sets parallelism', () => {
  const kafka = testKafka();
  let tenant: TenantCredentials;
  let api: ApiClient;

  beforeAll(async () => {
    await ensureServices();
    tenant = await createTenant('capacity-e2e');
    api = apiClient(tenant.token);
  });
  afterAll(async () => {
    await ensureServices();
  });

  /** A job id of ours, sent through Kafka so the test picks it. */
  const pickId = (prefix: string, accept: (id: string) => boolean) => {
    for (;;) {
      const id = `${prefix}-${randomUUID().slice(0, 12)}`;
      if (accept(id)) return id;
    }
  };
  const submitViaKafka = (jobId: string, assets: unknown[]) =>
    publishWithKcat(TOPICS.joinRequested, jobId, JSON.stringify({ schemaVersion: 1, jobId, tenantId: tenant.id, assets }));
  const occurred = (value: string) => Date.parse(JSON.parse(value).occurredAt);

  it('renders the 3 siblings of a join at once although their render requests share one partition', async () => {
    const template = await api.post('/templates', {
      name: 'capacity-siblings',
      driver: 'builtin',
      compositions: {
        main: {
          width: 640,
          height: 360,
          fps: 25,
          durationSec: 20,
          background: { color: '#203040' },
          layers: [{ layerName: 'title', type: 'text', text: 'sibling', fontSize: 48, color: '#ffee00', x: 'center', y: 'center' }],
        },
      },
    });
    expect(template.status).toBe(201);
    const parentId = pickId('siblings', (id) => new Set([0, 1, 2].map((i) => partitionOfKey(childJobId(id, i)))).size === 1);
    const children = [0, 1, 2].map((i) => childJobId(parentId, i));
    const progressFrom = await topicEnd(kafka, TOPICS.renderProgress);
    const finishedFrom = await topicEnd(kafka, TOPICS.childFinished);
    const asset = (n: number) => ({
      type: 'job',
      template: { id: template.body.id, composition: 'main' },
      assets: [{ type: 'data', layerName: 'title', property: 'Source Text', value: `sibling ${n}` }],
    });
    await submitViaKafka(parentId, [asset(1), asset(2), asset(3)]);

    const job = await waitFor(
      async () => {
        const { status, body } = await api.get(`/jobs/${parentId}`);
        return status === 200 && ['finished', 'error', 'manually_cancelled'].includes(body.status) ? body : undefined;
      },
      300_000,
      `join ${parentId} to end`,
      500,
    );
    expect(job.status).toBe('finished');

    // Each child's render runs from its first progress report to its result, both written by the render-adapter.
    const seen = new Set<string>();
    const firstReports = await readTopic(
      kafka,
      TOPICS.renderProgress,
      progressFrom,
      (m) => {
        if (!children.includes(m.key ?? '') || seen.has(m.key!)) return false;
        seen.add(m.key!); // the three share a partition, read in order: the first one read is the first one sent
        return true;
      },
      3,
      30_000,
    );
    const starts = new Map(firstReports.map((m) => [m.key!, occurred(m.value)]));
    const ends = new Map(
      (await readTopic(kafka, TOPICS.childFinished, finishedFrom, (m) => children.includes(m.key ?? ''), 3, 30_000)).map((m) => [m.key!, occurred(m.value)]),
    );
    expect([...starts.keys()].sort()).toEqual([...children].sort());
    // All three intervals overlap: the last to start started before the first to finish finished.
    expect(Math.max(...starts.values())).toBeLessThan(Math.min(...ends.values()));
  });

  describe('a later stitch finishes first, then the stitcher is SIGKILLed before the earlier one is done', () => {
    const clip = join(SAMPLE_MEDIA, 'edts.mp4');
    let server: Server;
    let port: number;
    const requests: string[] = [];
    let stalled: ServerResponse | undefined;
    let stallFirst = true;

    beforeAll(async () => {
      // Serves the sample clip under any name; the first request for /earlier.mp4 stalls after its headers.
      server = createServer((req, res) => {
        const name = (req.url ?? '/').split('?')[0];
        requests.push(name);
        res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': statSync(clip).size });
        if (name === '/earlier.mp4' && stallFirst) {
          stallFirst = false;
          stalled = res;
          res.write(readFileSync(clip).subarray(0, 1024));
          return;
        }
        createReadStream(clip).pipe(res);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      stalled?.destroy();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    });

    it('redoes the earlier one after the restart and does not redo the later one', async () => {
      const earlier = pickId('earlier', () => true);
      const later = pickId('later', (id) => partitionOfKey(id) === partitionOfKey(earlier));
      const partition = partitionOfKey(earlier);
      const stitchFrom = await topicEnd(kafka, TOPICS.stitchRequested);
      const completedFrom = await topicEnd(kafka, TOPICS.stitchCompleted);
      const url = (name: string) => `http://127.0.0.1:${port}/${name}`;

      await submitViaKafka(earlier, [{ type: 'video', src: url('earlier.mp4') }]);
      await waitFor(() => (stalled ? true : undefined), 60_000, 'the earlier stitch to be downloading');
      await submitViaKafka(later, [{ type: 'video', src: url('later.mp4') }]);
      const laterJob = await waitFor(
        async () => {
          const { status, body } = await api.get(`/jobs/${later}`);
          return status === 200 && body.status === 'finished' ? body : undefined;
        },
        120_000,
        'the later job to finish while the earlier one runs',
        250,
      );
      expect(laterJob.status).toBe('finished');
      expect((await api.get(`/jobs/${earlier}`)).body.status).not.toBe('finished');

      // Both requests sit on one partition, the earlier first; the group's committed offset has not passed it.
      const [earlierRequest, laterRequest] = await readTopic(kafka, TOPICS.stitchRequested, stitchFrom, (m) => m.key === earlier || m.key === later, 2);
      expect([earlierRequest.key, laterRequest.key, earlierRequest.partition, laterRequest.partition]).toEqual([earlier, later, partition, partition]);
      expect(await committedOffset(CONSUMER_GROUPS.stitcher, TOPICS.stitchRequested, partition)).toBeLessThanOrEqual(BigInt(earlierRequest.offset));

      await killService('stitcher');
      stalled!.destroy();
      await ensureServices();

      const earlierJob = await api.waitForEnd(earlier, 180_000);
      expect(earlierJob.status).toBe('finished');
      expect(requests.filter((name) => name === '/earlier.mp4')).toHaveLength(2); // fetched again: redone
      expect(requests.filter((name) => name === '/later.mp4')).toHaveLength(1); // not redone
      const completions = await readTopic(kafka, TOPICS.stitchCompleted, completedFrom, (m) => m.key === earlier || m.key === later, 2, 30_000);
      expect(completions.map((m) => m.key).sort()).toEqual([earlier, later].sort());
      await expect(readTopic(kafka, TOPICS.stitchCompleted, completedFrom, (m) => m.key === later, 2, 5_000)).rejects.toThrow(/only 1\/2/);
      const stitchedLater = readFileSync(join(REPO_ROOT, '.var/log/stitcher.log'), 'utf8')
        .split('\n')
        .filter((line) => line.includes('"stitch completed"') && line.includes(`"jobId":"${later}"`));
      expect(stitchedLater).toHaveLength(1);
    });
  });

  async function committedOffset(groupId: string, topic: string, partition: number): Promise<bigint> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return BigInt(offsets.partitions.find((p) => p.partition === partition)!.offset);
    } finally {
      await admin.disconnect();
    }
  }
});
