import type { JobStatus, JobStatusChanged } from '../events/common-types';
import type { OutputUrls } from './output-urls';

/** What presenting a job needs: the read model row, or a status event. */
export interface PresentableJob {
  id: string;
  type: 'join' | 'render';
  status: JobStatus;
  progress: number;
  outputKey: string;
  uploadedUrl: string | null;
  parentId: string | null;
  children: { id: string; status: JobStatus; outputKey: string }[];
  stats: JobStatusChanged['stats'];
  warnings?: string[] | null;
  posterKey?: string | null;
  thumbnailsKey?: string | null;
  overlapSec?: number | null;
}

/** A job as `GET /jobs/:id` shows it; webhook bodies embed the same shape. */
export function presentJob(job: PresentableJob, urls: OutputUrls) {
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
