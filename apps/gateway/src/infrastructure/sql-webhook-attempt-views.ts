import { Injectable } from '@nestjs/common';
import type { WebhookAttempted, WebhookDeliveryView } from '@vrs/contracts';
import { TransactionScope } from '@vrs/service-kit';
import type { WebhookAttemptViews } from '../application/ports/webhook-attempt-views.port';

/** `WebhookAttemptViews` in the gateway's database (table webhook_attempt_views). */
@Injectable()
export class SqlWebhookAttemptViews implements WebhookAttemptViews {
  constructor(private readonly scope: TransactionScope) {}

  private get manager() {
    return this.scope.manager;
  }

  async record(event: WebhookAttempted): Promise<void> {
    await this.manager.query(
      `INSERT INTO webhook_attempt_views (delivery_id, attempt, job_id, tenant_id, url, method, attempted_at, status_code, duration_ms, error, outcome, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`,
      [
        event.deliveryId,
        event.attempt,
        event.jobId,
        event.tenantId,
        event.url,
        event.method,
        event.attemptedAt,
        event.statusCode,
        event.durationMs,
        event.error,
        event.outcome,
        event.nextAttemptAt,
      ],
    );
  }

  async forJob(tenantId: string, jobId: string): Promise<WebhookDeliveryView[]> {
    const rows = await this.manager.query('SELECT * FROM webhook_attempt_views WHERE job_id = $1 AND tenant_id = $2 ORDER BY delivery_id, attempt', [
      jobId,
      tenantId,
    ]);
    const deliveries = new Map<string, WebhookDeliveryView>();
    for (const row of rows) {
      const delivery: WebhookDeliveryView = deliveries.get(row.delivery_id) ?? {
        id: row.delivery_id,
        url: row.url,
        method: row.method,
        status: row.outcome,
        nextAttemptAt: null,
        attempts: [],
      };
      delivery.status = row.outcome;
      delivery.nextAttemptAt = row.next_attempt_at ? new Date(row.next_attempt_at).toISOString() : null;
      delivery.attempts.push({
        attempt: row.attempt,
        at: new Date(row.attempted_at).toISOString(),
        statusCode: row.status_code,
        durationMs: row.duration_ms,
        error: row.error,
        outcome: row.outcome,
      });
      deliveries.set(row.delivery_id, delivery);
    }
    return [...deliveries.values()];
  }
}
