import type { JobStatus } from './api/types';
import { STATUS_LOOK } from './job-status';

export interface LogEntry {
  at: string;
  status?: JobStatus;
  text: string;
}

/** Lines of GET /jobs/:id/logs: `<ISO time> [status] what happened`, or `<ISO time> what happened`. */
export function parseJobLog(log: string): LogEntry[] {
  return log
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const match = /^(\S+)\s+(?:\[([a-z:_]+)\]\s+)?(.*)$/.exec(line);
      if (!match) return { at: '', text: line };
      const [, at, status, text] = match;
      return status && status in STATUS_LOOK ? { at, status: status as JobStatus, text } : { at, text: status ? `[${status}] ${text}` : text };
    });
}

/** The timeline: each change of state once (the first entry in it), plus the lines without a state (accepted). */
export function timelineOf(entries: LogEntry[]): LogEntry[] {
  let last: JobStatus | undefined;
  return entries.filter((entry) => {
    if (!entry.status) return true;
    const changed = entry.status !== last;
    last = entry.status;
    return changed;
  });
}
