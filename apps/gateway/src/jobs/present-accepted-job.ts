import type { OutputUrls } from '@vrs/contracts';
import type { AcceptedJob } from './job-intake';

/** The 201 body of a new job: `pending` when it waits for child renders first. */
export function presentAcceptedJob(job: AcceptedJob, urls: OutputUrls) {
  return {
    id: job.id,
    status: job.children.length > 0 ? 'pending' : 'queued',
    outputUrl: urls.urlFor(job.outputKey),
    children: job.children.map((child) => ({ id: child.id, status: 'queued', outputUrl: urls.urlFor(child.outputKey) })),
  };
}
