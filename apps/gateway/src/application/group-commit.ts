export interface GroupCommitOptions {
  /** Most items one transaction writes. */
  maxItems: number;
  /** Most transactions open at once; items arriving meanwhile wait and go together in the next. */
  maxInFlight: number;
}

interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: items that callers add while earlier transactions are still open are written
 * together, in one transaction, by `write`. Each caller's promise settles once its own item is
 * committed (or failed), so nobody is answered before their write is durable. Under light load an
 * item goes out at once, alone; under heavy load a transaction's round trips and its commit are
 * shared by many. When a group fails, its items are retried one by one, so one bad item fails only
 * its own caller.
 */
/** `Tx`: what a transaction hands the work (nothing, for ports that find the open transaction themselves). */
export class GroupCommit<T, Tx = unknown> {
  private readonly queue: Waiting<T>[] = [];
  private inFlight = 0;

  constructor(
    private readonly transaction: <R>(work: (tx: Tx) => Promise<R>) => Promise<R>,
    private readonly write: (tx: Tx, items: T[]) => Promise<void>,
    private readonly options: GroupCommitOptions,
  ) {}

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const group = this.queue.splice(0, this.options.maxItems);
      this.inFlight += 1;
      void this.commit(group).finally(() => {
        this.inFlight -= 1;
        this.flush();
      });
    }
  }

  private async commit(group: Waiting<T>[]): Promise<void> {
    try {
      await this.transaction((tx) =>
        this.write(
          tx,
          group.map((waiting) => waiting.item),
        ),
      );
      for (const waiting of group) waiting.resolve();
    } catch (error) {
      if (group.length === 1) return group[0].reject(error);
      for (const waiting of group) {
        await this.transaction((tx) => this.write(tx, [waiting.item])).then(waiting.resolve, waiting.reject);
      }
    }
  }
}
