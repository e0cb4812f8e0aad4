import { useState } from 'preact/hooks';
import type { Api } from '../api/client';
import type { WebhookDelivery } from '../api/types';
import { formatTime } from '../format';
import { useResource } from '../hooks/use-resource';
import type { Tone } from '../job-status';
import { ErrorNotice, Loading } from './states';
import { Tag } from './status';

const TONE: Record<WebhookDelivery['status'], Tone> = { delivered: 'done', retrying: 'active', failed: 'failed' };

/** The job's webhook deliveries and their attempts (retries arrive over time, hence the polling). */
export function WebhookDeliveries({ api, jobId, ended }: { api: Api; jobId: string; ended: boolean }) {
  const deliveries = useResource((signal) => api.webhooks(jobId, signal), [api, jobId], { pollMs: 3000 });
  const [redelivery, setRedelivery] = useState<{ busy?: boolean; error?: Error; sent?: boolean }>({});
  const redeliver = async () => {
    setRedelivery({ busy: true });
    try {
      await api.redeliverWebhook(jobId);
      setRedelivery({ sent: true });
      deliveries.reload();
    } catch (error) {
      setRedelivery({ error: error as Error });
    }
  };
  const list = deliveries.data?.deliveries;
  return (
    <section class="card" aria-labelledby="webhooks-heading">
      <div class="card__header">
        <h2 id="webhooks-heading">Webhook deliveries</h2>
        {ended && list && list.length > 0 && (
          <button type="button" class="button button--small" onClick={redeliver} disabled={redelivery.busy}>
            {redelivery.busy ? 'Sending…' : 'Redeliver'}
          </button>
        )}
      </div>
      {redelivery.sent && (
        <p class="notice notice--info" role="status">
          Redelivery requested; the new attempt appears below in a moment.
        </p>
      )}
      {redelivery.error && <ErrorNotice error={redelivery.error} title="The webhook could not be redelivered" />}
      {!list &&
        (deliveries.error ? (
          <ErrorNotice error={deliveries.error} retry={deliveries.reload} title="The deliveries could not be loaded" />
        ) : (
          <Loading what="deliveries" />
        ))}
      {list && list.length === 0 && (
        <p class="muted">
          {ended
            ? 'No webhook was sent for this job (it has no webhook, or the first attempt is on its way).'
            : 'The webhook, if the job has one, is sent when the job ends.'}
        </p>
      )}
      {list &&
        list.map((delivery) => (
          <div key={delivery.id} class="delivery" data-delivery-id={delivery.id}>
            <p class="delivery__head">
              <Tag tone={TONE[delivery.status]}>{delivery.status}</Tag>{' '}
              <span class="mono break">
                {delivery.method} {delivery.url}
              </span>
            </p>
            <div class="table-wrap">
              <table class="table table--compact">
                <thead>
                  <tr>
                    <th scope="col">Attempt</th>
                    <th scope="col">At</th>
                    <th scope="col">Answer</th>
                    <th scope="col">Time</th>
                    <th scope="col">Error</th>
                  </tr>
                </thead>
                <tbody>
                  {delivery.attempts.map((attempt) => (
                    <tr key={attempt.attempt}>
                      <td data-label="Attempt">{attempt.attempt}</td>
                      <td data-label="At">{formatTime(attempt.at)}</td>
                      <td data-label="Answer">{attempt.statusCode ?? '—'}</td>
                      <td data-label="Time">{attempt.durationMs} ms</td>
                      <td data-label="Error">{attempt.error ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {delivery.nextAttemptAt && <p class="muted small">Next attempt {formatTime(delivery.nextAttemptAt)}</p>}
          </div>
        ))}
    </section>
  );
}
