import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields every log line inside a unit of work carries (the job id above all). */
export interface LogContext {
  jobId?: string;
  requestId?: string;
  tenantId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `work` with `context` merged into the current log context. */
export function withLogContext<T>(context: LogContext, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, work);
}

export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}
