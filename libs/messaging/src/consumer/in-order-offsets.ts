/** A message admitted to the ledger: where it came from, and which assignment of its partition it belongs to. */
export interface OffsetTicket {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly generation: number;
}

interface Entry {
  offset: bigint;
  done: boolean;
}

/**
 * Which offset a consumer may commit when messages of one partition finish out of order: only past
 * messages that are all done, so a crash redelivers every message that was not (and the inbox skips the
 * ones among them that were). Per topic-partition, messages are entered in the order they arrived; a
 * message that arrives at or below one already entered means the consumer re-read the partition from
 * its committed offset (a rebalance, a seek), so that partition's ledger starts again.
 */
export class InOrderOffsets {
  private readonly ledgers = new Map<string, { generation: number; entries: Entry[]; lastEntered: bigint }>();
  private generation = 0;

  /** The group gave this consumer its partitions anew: what was in flight no longer decides commits. */
  reassigned(): void {
    this.generation += 1;
    this.ledgers.clear();
  }

  enter(topic: string, partition: number, offset: string): OffsetTicket {
    const at = BigInt(offset);
    const key = `${topic}/${partition}`;
    let ledger = this.ledgers.get(key);
    if (!ledger || at <= ledger.lastEntered) {
      ledger = { generation: ++this.generation, entries: [], lastEntered: at };
      this.ledgers.set(key, ledger);
    }
    ledger.entries.push({ offset: at, done: false });
    ledger.lastEntered = at;
    return { topic, partition, offset: at, generation: ledger.generation };
  }

  /**
   * Marks the message done; returns the offset to commit (the next one to read) when every message up
   * to and including it is done, or undefined when an earlier one is still running or the ticket is stale.
   */
  finish(ticket: OffsetTicket): string | undefined {
    const ledger = this.ledgers.get(`${ticket.topic}/${ticket.partition}`);
    if (!ledger || ledger.generation !== ticket.generation) return undefined;
    const entry = ledger.entries.find((e) => e.offset === ticket.offset && !e.done);
    if (!entry) return undefined;
    entry.done = true;
    let committable: bigint | undefined;
    while (ledger.entries.length > 0 && ledger.entries[0].done) committable = ledger.entries.shift()!.offset;
    return committable === undefined ? undefined : (committable + 1n).toString();
  }
}
