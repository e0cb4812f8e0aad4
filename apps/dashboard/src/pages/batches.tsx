import { ApiError, type Api } from '../api/client';
import type { Batch, BatchStatus } from '../api/types';
import { FindById } from '../components/find-by-id';
import { PageHeader } from '../components/layout';
import { Empty, ErrorNotice, LiveIndicator, Loading } from '../components/states';
import { ProgressBar, Tag } from '../components/status';
import { formatTime } from '../format';
import { useResource } from '../hooks/use-resource';
import type { Tone } from '../job-status';
import { hrefFor } from '../router';

const LOOK: Record<BatchStatus, { label: string; tone: Tone }> = {
  processing: { label: 'Processing', tone: 'active' },
  finished: { label: 'Finished', tone: 'done' },
  error: { label: 'Some failed', tone: 'failed' },
};

const ended = (batch: Batch) => batch.stats.total - batch.stats.pending;
const BatchStatusTag = ({ batch }: { batch: Batch }) => (
  <span data-status={batch.status}>
    <Tag tone={LOOK[batch.status].tone}>{LOOK[batch.status].label}</Tag>
  </span>
);

export function BatchesPage({ api }: { api: Api }) {
  const batches = useResource((signal) => api.batches(signal), [api], { pollMs: 3000 });
  return (
    <>
      <PageHeader title="Batches" />
      <div class="toolbar">
        <FindById label="Find a batch" name="batch-id" hrefFor={hrefFor.batch} />
        <LiveIndicator updatedAt={batches.updatedAt} error={batches.error} live />
      </div>
      {batches.loading && !batches.data && <Loading what="batches" />}
      {batches.error && !batches.data && <ErrorNotice error={batches.error} retry={batches.reload} title="The batches could not be loaded" />}
      {batches.data && batches.data.batches.length === 0 && (
        <Empty title="No batches yet.">
          <p>
            Batches are made with <code>POST /batches</code>: up to 1000 jobs at once.
          </p>
        </Empty>
      )}
      {batches.data && batches.data.batches.length > 0 && (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Batches, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Batch</th>
                <th scope="col">State</th>
                <th scope="col">Jobs ended</th>
                <th scope="col">Outcome</th>
                <th scope="col" class="hide-narrow">
                  Created
                </th>
              </tr>
            </thead>
            <tbody>
              {batches.data.batches.map((batch) => (
                <tr key={batch.id} data-batch-id={batch.id}>
                  <td data-label="Batch">
                    <a class="mono" href={hrefFor.batch(batch.id)} title={batch.id}>
                      {batch.id.slice(0, 8)}…
                    </a>
                  </td>
                  <td data-label="State">
                    <BatchStatusTag batch={batch} />
                  </td>
                  <td data-label="Jobs ended">
                    <ProgressBar
                      value={batch.stats.total ? (100 * ended(batch)) / batch.stats.total : 100}
                      label={`Jobs of batch ${batch.id} that ended`}
                      tone={LOOK[batch.status].tone}
                    />
                  </td>
                  <td data-label="Outcome">
                    {batch.stats.finished} finished, {batch.stats.error} failed, {batch.stats.pending} running <span class="muted">of {batch.stats.total}</span>
                  </td>
                  <td data-label="Created" class="hide-narrow">
                    {formatTime(batch.createdAt)}
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

export function BatchPage({ api, id }: { api: Api; id: string }) {
  const batch = useResource((signal) => api.batch(id, signal), [api, id], { pollMs: 2000, done: (data) => data.status !== 'processing' });
  const back = { href: hrefFor.batches(), label: 'Batches' };
  if (!batch.data) {
    if (batch.error instanceof ApiError && batch.error.status === 404)
      return (
        <>
          <PageHeader title="Batch" back={back} />
          <Empty title={`There is no batch ${id}.`} />
        </>
      );
    if (batch.error)
      return (
        <>
          <PageHeader title="Batch" back={back} />
          <ErrorNotice error={batch.error} retry={batch.reload} />
        </>
      );
    return <Loading what="the batch" />;
  }
  const { stats } = batch.data;
  return (
    <>
      <PageHeader
        title={
          <>
            Batch <span class="mono title-id">{id}</span>
          </>
        }
        back={back}
      />
      <section class="card">
        <div class="job-summary__status">
          <BatchStatusTag batch={batch.data} />
          <LiveIndicator updatedAt={batch.updatedAt} error={batch.error} live={batch.data.status === 'processing'} />
        </div>
        <div class="job-summary__progress">
          <span class="field__label">Jobs that ended</span>
          <ProgressBar
            value={stats.total ? (100 * ended(batch.data)) / stats.total : 100}
            label="Jobs of this batch that ended"
            tone={LOOK[batch.data.status].tone}
          />
        </div>
        <dl class="facts">
          <div>
            <dt>Jobs</dt>
            <dd>{stats.total}</dd>
          </div>
          <div>
            <dt>Finished</dt>
            <dd>{stats.finished}</dd>
          </div>
          <div>
            <dt>Failed or cancelled</dt>
            <dd>{stats.error}</dd>
          </div>
          <div>
            <dt>Still running</dt>
            <dd>{stats.pending}</dd>
          </div>
        </dl>
      </section>
    </>
  );
}
