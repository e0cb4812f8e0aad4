/** Runs `work` over items with at most `limit` in flight; stops starting new ones after the first failure. */
export async function runPool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  const rejection = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejection) throw rejection.reason;
}
