import { AssignerProtocol, type Admin } from 'kafkajs';
import { consumerLag } from './messaging-metrics';

export interface PartitionPosition {
  partition: number;
  /** The group's committed offset, '-1' when it has committed none on this partition. */
  committed: string;
  low: string;
  high: string;
}

/**
 * Messages of one partition the group has still to handle. With no commit yet the group starts at
 * the earliest retained message (services subscribe from the beginning), and a commit behind the
 * retention start counts from there: those older messages no longer exist to be handled.
 */
export function partitionLag({ committed, low, high }: PartitionPosition): number {
  const start = BigInt(low);
  const next = BigInt(committed) < start ? start : BigInt(committed);
  const end = BigInt(high);
  return end > next ? Number(end - next) : 0;
}

/** The topics the group's members are assigned now, decoded from the group description. */
export function assignedTopics(members: { memberAssignment: Buffer }[]): string[] {
  const topics = new Set<string>();
  for (const member of members) {
    const decoded = member.memberAssignment.length ? AssignerProtocol.MemberAssignment.decode(member.memberAssignment) : null;
    for (const topic of Object.keys(decoded?.assignment ?? {})) topics.add(topic);
  }
  return [...topics];
}

export interface TopicLag {
  topic: string;
  lag: number;
}

/** Lag per topic of `groupId`, over the topics its members hold now and those it has committed on. */
export async function readConsumerLag(admin: Admin, groupId: string): Promise<TopicLag[]> {
  const [{ groups }, committedTopics] = await Promise.all([admin.describeGroups([groupId]), admin.fetchOffsets({ groupId })]);
  const topics = new Set([...assignedTopics(groups[0]?.members ?? []), ...committedTopics.map((entry) => entry.topic)]);
  if (topics.size === 0) return [];
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  return Promise.all(
    committed.map(async ({ topic, partitions }) => {
      const ends = new Map((await admin.fetchTopicOffsets(topic)).map((entry) => [entry.partition, entry]));
      const lag = partitions.reduce((sum, { partition, offset }) => {
        const end = ends.get(partition);
        return end ? sum + partitionLag({ partition, committed: offset, low: end.low, high: end.high }) : sum;
      }, 0);
      return { topic, lag };
    }),
  );
}

/** Samples the groups' lag on every scrape through `withAdmin` (the service's one admin connection). */
export function watchConsumerLag(withAdmin: (use: (admin: Admin) => Promise<TopicLag[]>) => Promise<TopicLag[]>, groupIds: string[]): void {
  consumerLag.sampleWith(async () =>
    (
      await Promise.all(
        groupIds.map(async (group) =>
          (await withAdmin((admin) => readConsumerLag(admin, group))).map(({ topic, lag }) => ({ labels: { group, topic }, value: lag })),
        ),
      )
    ).flat(),
  );
}
