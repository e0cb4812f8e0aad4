// Where the time of one small job goes, hop by hop: single-clip copy joins one after the other, each
// stage from the times the system itself records — an event's `occurredAt` (written in the transaction
// that caused it), its Kafka timestamp (when the outbox relay sent it) and the stitcher's completion log
// line (how long download, stitch and store took). Needs the broker (KAFKA_BROKERS) and, for the
// stitcher's own split, its log (STITCHER_LOG, by default the local deployment's .var/log/stitcher.log).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TOPICS } from '@vrs/contracts';
import { readTopic, testKafka, topicEnd, type ReadMessage } from '@vrs/testing';
import type { LoadContext, LoadRow } from './types';

const JOBS = 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface ClientTimes {
  id: string;
  sent: number;
  answered: number;
  seenFinished: number;
}

async function runJob(ctx: LoadContext, srcs: string[]): Promise<ClientTimes> {
  const headers = { authorization: `Bearer ${ctx.token}`, 'content-type': 'application/json' };
  const sent = Date.now();
  const res = await fetch(`${ctx.gatewayUrl}/jobs/join`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ assets: srcs.map((src) => ({ type: 'video', src })) }),
  });
  const { id } = (await res.json()) as { id: string };
  const answered = Date.now();
  for (;;) {
    if (Date.now() - sent > 120_000) throw new Error(`job ${id} did not finish within 120 s`);
    const { status } = (await (await fetch(`${ctx.gatewayUrl}/jobs/${id}`, { headers })).json()) as { status: string };
    if (status === 'finished') return { id, sent, answered, seenFinished: Date.now() };
    if (status === 'error' || status === 'manually_cancelled') throw new Error(`job ${id} ended ${status}`);
    await sleep(10);
  }
}

/** The stitcher's completion line of each job: when it was written and the stages it timed. */
async function stitcherLines(ids: Set<string>): Promise<Map<string, { at: number; timingsMs: Record<string, number> }>> {
  const lines = new Map<string, { at: number; timingsMs: Record<string, number> }>();
  const text = await readFile(process.env.STITCHER_LOG ?? join('.var', 'log', 'stitcher.log'), 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    if (!line.includes('"stitch completed"')) continue;
    const entry = JSON.parse(line);
    if (ids.has(entry.jobId) && entry.timingsMs) lines.set(entry.jobId, { at: Date.parse(entry.time), timingsMs: entry.timingsMs });
  }
  return lines;
}

/** `srcs`: the clips of each job; `what` names them in the scenario's title. */
export async function pipelineBreakdown(ctx: LoadContext, srcs: string[], what: string): Promise<LoadRow[]> {
  const kafka = testKafka();
  const topics = [TOPICS.joinRequested, TOPICS.stitchRequested, TOPICS.stitchCompleted, TOPICS.jobStatusChanged] as const;
  const from = new Map(await Promise.all(topics.map(async (topic) => [topic, await topicEnd(kafka, topic)] as const)));
  const jobs: ClientTimes[] = [];
  for (let i = 0; i < JOBS; i++) jobs.push(await runJob(ctx, srcs));
  const ids = new Set(jobs.map((job) => job.id));

  const byJob = async (topic: (typeof topics)[number], match: (m: ReadMessage) => boolean = () => true) =>
    new Map((await readTopic(kafka, topic, from.get(topic)!, (m) => ids.has(m.key ?? '') && match(m), JOBS, 60_000)).map((m) => [m.key!, m]));
  const requested = await byJob(TOPICS.joinRequested);
  const stitchRequested = await byJob(TOPICS.stitchRequested);
  const completed = await byJob(TOPICS.stitchCompleted);
  const finished = await byJob(TOPICS.jobStatusChanged, (m) => JSON.parse(m.value).status === 'finished');
  const logged = await stitcherLines(ids);

  const occurred = (m: ReadMessage) => Date.parse(JSON.parse(m.value).occurredAt);
  const stages = new Map<string, number[]>();
  const add = (stage: string, ms: number) => stages.set(stage, [...(stages.get(stage) ?? []), ms]);
  for (const job of jobs) {
    const jr = requested.get(job.id)!;
    const sr = stitchRequested.get(job.id)!;
    const sc = completed.get(job.id)!;
    const fs = finished.get(job.id)!;
    add('POST answered (gateway: validate, write job + outbox, commit)', job.answered - job.sent);
    add('gateway outbox → Kafka (relay)', jr.timestamp - occurred(jr));
    add('orchestrator: fetch join.requested, create the job', occurred(sr) - jr.timestamp);
    add('orchestrator outbox → Kafka (relay): stitch.requested', sr.timestamp - occurred(sr));
    const line = logged.get(job.id);
    if (line) {
      const { download, stitch, store } = line.timingsMs;
      add('stitcher: fetch stitch.requested, inbox check, start', line.at - download - stitch - store - sr.timestamp);
      add(`stitcher: download the clip${srcs.length > 1 ? 's' : ''}`, download);
      add('stitcher: stitch (copy join, verify)', stitch);
      add('stitcher: store the output', store);
      add('stitcher: commit, outbox → Kafka (relay)', sc.timestamp - line.at);
    } else {
      add('stitcher: fetch, download, stitch, store, commit, relay', sc.timestamp - sr.timestamp);
    }
    add('orchestrator: fetch stitch.completed, finish the job', occurred(fs) - sc.timestamp);
    add('orchestrator outbox → Kafka (relay): job.status-changed', fs.timestamp - occurred(fs));
    add('gateway: fetch job.status-changed, project; client sees it (10 ms polls)', job.seenFinished - fs.timestamp);
    add('total POST→finished', job.seenFinished - job.sent);
  }
  const total = median(stages.get('total POST→finished')!);
  const scenario = `where the time of one ${what} goes (medians of ${JOBS} jobs, one after the other)`;
  return [...stages].map(([figure, values]) => ({
    scenario,
    figure,
    ours: median(values),
    baseline: total,
    unit: 'ms',
    baselineName: 'POST→finished of the same jobs (median)',
    goal: '—',
  }));
}
