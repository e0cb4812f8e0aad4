import { useState } from 'preact/hooks';
import { ApiError, type Api } from '../api/client';
import type { Job } from '../api/types';
import { PageHeader } from '../components/layout';
import { Empty, ErrorNotice, LiveIndicator, Loading } from '../components/states';
import { ProgressBar, StatusBadge } from '../components/status';
import { WebhookDeliveries } from '../components/webhook-deliveries';
import { formatDuration, formatTime } from '../format';
import { useResource } from '../hooks/use-resource';
import { parseJobLog, timelineOf } from '../job-log';
import { hasEnded, STATUS_LOOK } from '../job-status';
import { hrefFor } from '../router';

const POLL_MS = 1500;

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

export function JobPage({ api, id }: { api: Api; id: string }) {
  const job = useResource((signal) => api.job(id, signal), [api, id], { pollMs: POLL_MS, done: (data) => hasEnded(data.status) });
  const ended = job.data ? hasEnded(job.data.status) : false;
  // Every change of the job adds a log line and moves stats.updatedAt: the log is read again then.
  const log = useResource((signal) => api.jobLog(id, signal), [api, id, job.data?.stats.updatedAt]);

  if (!job.data) {
    if (job.error) {
      const missing = job.error instanceof ApiError && job.error.status === 404;
      return (
        <>
          <PageHeader title="Job" back={{ href: hrefFor.jobs(), label: 'Jobs' }} />
          {missing ? (
            <Empty title={`There is no job ${id}.`}>
              <p>Check the id; jobs of other tenants are not shown.</p>
            </Empty>
          ) : (
            <ErrorNotice error={job.error} retry={job.reload} title="The job could not be loaded" />
          )}
        </>
      );
    }
    return <Loading what="the job" />;
  }
  const data = job.data;
  const look = STATUS_LOOK[data.status];
  return (
    <>
      <PageHeader
        title={
          <>
            {data.type === 'join' ? 'Join' : 'Render'} job <span class="mono title-id">{data.id}</span>
          </>
        }
        back={{ href: hrefFor.jobs(), label: 'Jobs' }}
      >
        {!ended && <CancelButton api={api} id={data.id} onCancelled={job.reload} />}
        {data.status === 'finished' && (
          <a class="button button--primary" href={data.outputUrl} download={`${data.id}.mp4`}>
            Download MP4
          </a>
        )}
      </PageHeader>

      <section class="card job-summary" aria-labelledby="status-heading">
        <div class="job-summary__status">
          <h2 id="status-heading" class="visually-hidden">
            Status
          </h2>
          <StatusBadge status={data.status} />
          <span class="muted">{look?.hint}</span>
          <LiveIndicator updatedAt={job.updatedAt} error={job.error} live={!ended} />
        </div>
        <div class="job-summary__progress">
          <span class="field__label" id="progress-label">
            {data.children.length ? 'Progress across renders and stitch' : 'Progress'}
          </span>
          <ProgressBar value={data.progress} label={data.children.length ? 'Progress across renders and stitch' : 'Progress'} tone={look?.tone} />
        </div>
        {data.status === 'error' && (
          <div class="notice notice--error job-error" role="alert">
            <p class="notice__title">The job failed</p>
            <p class="job-error__text">{data.stats.error ?? 'No reason was recorded.'}</p>
          </div>
        )}
        <dl class="facts">
          <div>
            <dt>Created</dt>
            <dd>{formatTime(data.stats.createdAt)}</dd>
          </div>
          <div>
            <dt>Started</dt>
            <dd>{formatTime(data.stats.startedAt)}</dd>
          </div>
          <div>
            <dt>{data.status === 'error' ? 'Failed' : data.status === 'manually_cancelled' ? 'Ended' : 'Finished'}</dt>
            <dd>{formatTime(data.stats.finishedAt ?? data.stats.errorAt)}</dd>
          </div>
          <div>
            <dt>Took</dt>
            <dd>{formatDuration(data.stats.startedAt ?? data.stats.createdAt, data.stats.finishedAt ?? data.stats.errorAt) ?? '—'}</dd>
          </div>
          {data.parentId && (
            <div>
              <dt>Part of</dt>
              <dd>
                <a class="mono" href={hrefFor.job(data.parentId)}>
                  {data.parentId}
                </a>
              </dd>
            </div>
          )}
          {data.uploadedUrl && (
            <div class="facts__wide">
              <dt>Pushed to</dt>
              <dd class="mono break">{data.uploadedUrl}</dd>
            </div>
          )}
        </dl>
      </section>

      {data.status === 'finished' && <OutputPlayer job={data} />}

      {data.children.length > 0 && (
        <section class="card" aria-labelledby="children-heading">
          <h2 id="children-heading">
            Renders <span class="count">{data.children.length}</span>
          </h2>
          <ChildTree api={api} ids={data.children.map((child) => child.id)} />
        </section>
      )}

      <section class="card" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        {log.data === undefined ? (
          log.error ? (
            <ErrorNotice error={log.error} retry={log.reload} title="The log could not be loaded" />
          ) : (
            <Loading what="the log" />
          )
        ) : (
          <Timeline log={log.data} />
        )}
        {log.data !== undefined && (
          <details class="log">
            <summary>Full log ({plural(parseJobLog(log.data).length, 'line')})</summary>
            <pre class="log__text" tabIndex={0} aria-label="Job log">
              {log.data}
            </pre>
          </details>
        )}
      </section>

      <WebhookDeliveries api={api} jobId={data.id} ended={ended} />
    </>
  );
}

function OutputPlayer({ job }: { job: Job }) {
  const [failed, setFailed] = useState(false);
  return (
    <section class="card" aria-labelledby="output-heading">
      <h2 id="output-heading">Output</h2>
      <video
        class="player"
        controls
        preload="metadata"
        playsInline
        src={job.outputUrl}
        poster={job.posterUrl}
        onError={() => setFailed(true)}
        aria-label={`Output of job ${job.id}`}
      />
      {failed && (
        <p class="notice notice--error" role="alert">
          This browser could not play the file.{' '}
          <a href={job.outputUrl} download>
            Download it
          </a>{' '}
          instead.
        </p>
      )}
      <p class="muted small">
        Link that plays without a token:{' '}
        <a class="break" href={job.outputUrl}>
          {job.outputUrl}
        </a>
      </p>
    </section>
  );
}

function Timeline({ log }: { log: string }) {
  const entries = timelineOf(parseJobLog(log));
  if (entries.length === 0) return <p class="muted">Nothing has happened yet.</p>;
  return (
    <ol class="timeline">
      {entries.map((entry, index) => (
        <li key={index} class="timeline__item">
          <time dateTime={entry.at} class="timeline__time">
            {formatTime(entry.at)}
          </time>
          <div class="timeline__body">
            {entry.status && <StatusBadge status={entry.status} />} <span>{entry.text}</span>
          </div>
        </li>
      ))}
    </ol>
  );
}

/** Each child job with its own state and progress; a child's own children nest under it. */
function ChildTree({ api, ids }: { api: Api; ids: string[] }) {
  return (
    <ul class="tree">
      {ids.map((id) => (
        <ChildNode key={id} api={api} id={id} />
      ))}
    </ul>
  );
}

function ChildNode({ api, id }: { api: Api; id: string }) {
  const child = useResource((signal) => api.job(id, signal), [api, id], { pollMs: POLL_MS, done: (data) => hasEnded(data.status) });
  return (
    <li class="tree__node" data-child-id={id}>
      <div class="tree__row">
        <a class="mono" href={hrefFor.job(id)} title={id}>
          {id.slice(0, 12)}…
        </a>
        {child.data ? (
          <>
            <StatusBadge status={child.data.status} />
            <ProgressBar value={child.data.progress} label={`Progress of render ${id}`} tone={STATUS_LOOK[child.data.status]?.tone} />
          </>
        ) : child.error ? (
          <span class="field__error">{child.error.message}</span>
        ) : (
          <span class="muted">loading…</span>
        )}
      </div>
      {child.data?.status === 'error' && child.data.stats.error && <p class="tree__error">{child.data.stats.error}</p>}
      {child.data && child.data.children.length > 0 && <ChildTree api={api} ids={child.data.children.map((c) => c.id)} />}
    </li>
  );
}

function CancelButton({ api, id, onCancelled }: { api: Api; id: string; onCancelled: () => void }) {
  const [stage, setStage] = useState<'idle' | 'confirm' | 'sending' | 'sent'>('idle');
  const [error, setError] = useState<Error>();
  const cancel = async () => {
    setStage('sending');
    try {
      await api.cancel(id);
      setStage('sent');
      onCancelled();
    } catch (failure) {
      setError(failure as Error);
      setStage('idle');
    }
  };
  if (stage === 'sent')
    return (
      <p class="muted" role="status">
        Cancel requested…
      </p>
    );
  return (
    <div class="cancel">
      {stage === 'idle' && (
        <button type="button" class="button button--danger" onClick={() => setStage('confirm')}>
          Cancel job
        </button>
      )}
      {(stage === 'confirm' || stage === 'sending') && (
        <div class="cancel__confirm" role="group" aria-label="Confirm cancel">
          <span>Stop this job and its renders?</span>
          <button type="button" class="button button--danger" onClick={cancel} disabled={stage === 'sending'} autoFocus>
            Yes, cancel it
          </button>
          <button type="button" class="button" onClick={() => setStage('idle')} disabled={stage === 'sending'}>
            Keep it running
          </button>
        </div>
      )}
      {error && (
        <p class="field__error" role="alert">
          {error.message}
        </p>
      )}
    </div>
  );
}
