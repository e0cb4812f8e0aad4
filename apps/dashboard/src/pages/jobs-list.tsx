import type { Api } from '../api/client';
import type { JobStatus } from '../api/types';
import { FindById } from '../components/find-by-id';
import { PageHeader } from '../components/layout';
import { Empty, ErrorNotice, LiveIndicator, Loading } from '../components/states';
import { ProgressBar, StatusBadge } from '../components/status';
import { formatTime, shortId } from '../format';
import { useResource } from '../hooks/use-resource';
import { ALL_STATUSES, STATUS_LOOK } from '../job-status';
import { hrefFor, navigate } from '../router';

const POLL_MS = 2000;

export function JobsPage({ api, state }: { api: Api; state?: string }) {
  const filter = ALL_STATUSES.includes(state as JobStatus) ? (state as JobStatus) : undefined;
  const jobs = useResource((signal) => api.jobs({ states: filter ? [filter] : undefined, limit: 100 }, signal), [api, filter], { pollMs: POLL_MS });

  return (
    <>
      <PageHeader title="Jobs">
        <a class="button button--primary" href={hrefFor.newJoin()}>
          New join
        </a>
      </PageHeader>
      <div class="toolbar">
        <label class="field field--inline">
          <span class="field__label">State</span>
          <select name="state" value={filter ?? ''} onChange={(e) => navigate(hrefFor.jobs(e.currentTarget.value || undefined))}>
            <option value="">All states</option>
            {ALL_STATUSES.map((status) => (
              <option key={status} value={status}>
                {STATUS_LOOK[status].label}
              </option>
            ))}
          </select>
        </label>
        <FindById label="Find a job" name="job-id" hrefFor={hrefFor.job} />
        <LiveIndicator updatedAt={jobs.updatedAt} error={jobs.error} live />
      </div>
      {jobs.loading && !jobs.data && <Loading what="jobs" />}
      {jobs.error && !jobs.data && <ErrorNotice error={jobs.error} retry={jobs.reload} title="The jobs could not be loaded" />}
      {jobs.data && jobs.data.jobs.length === 0 && (
        <Empty title={filter ? `No job is ${STATUS_LOOK[filter].label.toLowerCase()} right now.` : 'No jobs yet.'}>
          {filter ? (
            <a href={hrefFor.jobs()}>Show all states</a>
          ) : (
            <p>
              Start one with <a href={hrefFor.newJoin()}>a new join</a>, or from a template.
            </p>
          )}
        </Empty>
      )}
      {jobs.data && jobs.data.jobs.length > 0 && (
        <div class="table-wrap">
          <table class="table table--jobs">
            <caption class="visually-hidden">Jobs, newest first{filter ? `, ${STATUS_LOOK[filter].label}` : ''}</caption>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">State</th>
                <th scope="col">Progress</th>
                <th scope="col" class="hide-narrow">
                  Created
                </th>
              </tr>
            </thead>
            <tbody>
              {jobs.data.jobs.map((job) => (
                <tr key={job.id} data-job-id={job.id}>
                  <td data-label="Job">
                    <a class="mono" href={hrefFor.job(job.id)} title={job.id}>
                      {shortId(job.id)}
                    </a>{' '}
                    <span class="muted">
                      {job.type}
                      {job.children.length ? ` · ${job.children.length} renders` : ''}
                    </span>
                  </td>
                  <td data-label="State">
                    <div>
                      <StatusBadge status={job.status} />
                      {job.stats.error && (
                        <span class="row-error" title={job.stats.error}>
                          {job.stats.error}
                        </span>
                      )}
                    </div>
                  </td>
                  <td data-label="Progress">
                    <ProgressBar value={job.progress} label={`Progress of job ${job.id}`} tone={STATUS_LOOK[job.status]?.tone} />
                  </td>
                  <td data-label="Created" class="hide-narrow">
                    {formatTime(job.stats.createdAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
