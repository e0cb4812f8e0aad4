import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kafka, Producer } from 'kafkajs';
import { waitFor } from '@vrs/testing';
import { REPO_ROOT, servicePid, waitForExit } from './system';

/** Publishes an event as another system on the broker would, with the envelope filled in. */
export async function publishEvent(producer: Producer, topic: string, key: string, body: Record<string, unknown>): Promise<void> {
  const event = { eventId: randomUUID(), schemaVersion: 1, occurredAt: new Date().toISOString(), ...body };
  await producer.send({ topic, acks: -1, messages: [{ key, value: JSON.stringify(event) }] });
}

/**
 * A lost step: takes the next message for `key` off `topic` as a member of the service's consumer
 * group, commits it and drops it. Run it while the service is stopped, or the group shares the
 * partitions with it.
 */
export async function dropNextMessage(kafka: Kafka, group: string, topic: string, key: string, timeoutMs = 60_000): Promise<string> {
  const consumer = kafka.consumer({ groupId: group, sessionTimeout: 10_000, heartbeatInterval: 3_000 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: false });
    let dropped: (value: string) => void;
    const found = new Promise<string>((resolve) => {
      dropped = resolve;
    });
    await consumer.run({
      autoCommitThreshold: 1,
      eachMessage: async ({ message }) => {
        if (message.key?.toString() === key) dropped(message.value?.toString() ?? '');
      },
    });
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no ${topic} message for ${key} within ${timeoutMs} ms`)), timeoutMs));
    return await Promise.race([found, timeout]);
  } finally {
    await consumer.disconnect();
  }
}

/** Stops a service cleanly (SIGTERM: its consumers leave their groups at once); `ensureServices` starts it again. */
export async function stopService(name: string): Promise<void> {
  const pid = servicePid(name);
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  await waitForExit(pid, 60_000, `${name} to exit`);
}

/** JSON log lines of a service instance (`name` or `name@port`) matching `msg` (and mentioning `text`, when given). */
export function logged(instance: string, msg: string | RegExp, text = ''): Array<Record<string, unknown>> {
  return readFileSync(join(REPO_ROOT, '.var/log', `${instance}.log`), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes(text))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    })
    .filter((entry) => (typeof msg === 'string' ? entry.msg === msg : msg.test(String(entry.msg))));
}

/** JSON log lines of a service instance matching `msg` for the job. */
export const loggedFor = (instance: string, jobId: string, msg: string | RegExp) => logged(instance, msg, jobId).filter((entry) => entry.jobId === jobId);

/** Waits until one of the instances has logged `msg` for the job. */
export const waitForLog = (instances: string[], jobId: string, msg: string | RegExp, timeoutMs = 60_000) =>
  waitFor(() => (instances.some((instance) => loggedFor(instance, jobId, msg).length > 0) ? true : undefined), timeoutMs, `"${msg}" logged for ${jobId}`, 200);
