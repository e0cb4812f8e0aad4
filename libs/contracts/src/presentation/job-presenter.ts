import type { JobView } from '../api/responses';
import type { JobStatusChanged } from '../events/common-types';
import type { OutputUrls } from './output-urls';

/** What presenting a job needs, as a status event carries it: the gateway's read model stores these fields. */
export type PresentableJob = Pick<JobStatusChanged, 'type' | 'status' | 'progress' | 'outputKey' | 'uploadedUrl' | 'parentId' | 'stats'> & {
  id: string;
  children: Array<Pick<JobStatusChanged['children'][number], 'id' | 'status' | 'outputKey'>>;
  warnings?: string[] | null;
  posterKey?: string | null;
  thumbnailsKey?: string | null;
  overlapSec?: number | null;
};

/** A job as `GET /jobs/:id` shows it (`jobView`); webhook bodies embed the same shape. */
export function presentJob(job: PresentableJob, urls: OutputUrls): JobView {
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    progress: job.progress,
    outputUrl: urls.urlFor(job.outputKey),
    ...(job.uploadedUrl ? { uploadedUrl: job.uploadedUrl } : {}),
    ...(job.parentId ? { parentId: job.parentId } : {}),
    children: job.children.map((child) => ({ id: child.id, status: child.status, outputUrl: urls.urlFor(child.outputKey) })),
    stats: job.stats,
    ...(job.warnings?.length ? { warnings: job.warnings } : {}),
    ...(job.posterKey ? { posterUrl: urls.urlFor(job.posterKey) } : {}),
    ...(job.thumbnailsKey ? { thumbnailsUrl: urls.urlFor(job.thumbnailsKey) } : {}),
    ...(job.overlapSec ? { overlapSec: job.overlapSec } : {}),
  };
}
