import type { AcceptedJobView, OutputUrls, TemplateView } from '@vrs/contracts';
import type { AcceptedJob } from '../application/job-intake';
import type { StoredTemplate } from '../application/ports/templates.port';

/** The 201 body of a new job: `pending` when it waits for child renders first. */
export function presentAcceptedJob(job: AcceptedJob, urls: OutputUrls): AcceptedJobView {
  return {
    id: job.id,
    status: job.children.length > 0 ? 'pending' : 'queued',
    outputUrl: urls.urlFor(job.outputKey),
    children: job.children.map((child) => ({ id: child.id, status: 'queued', outputUrl: urls.urlFor(child.outputKey) })),
  };
}

/** A template as the API shows it; `template` (the stored body) only when asked for one template. */
export function presentTemplate(stored: StoredTemplate, withBody: boolean): TemplateView {
  const body = stored.body as { driver?: string; compositions?: Record<string, unknown> };
  return {
    id: stored.id,
    name: stored.name,
    driver: body.driver,
    compositions: Object.keys(body.compositions ?? {}),
    createdAt: stored.createdAt.toISOString(),
    ...(withBody ? { template: stored.body } : {}),
  };
}
