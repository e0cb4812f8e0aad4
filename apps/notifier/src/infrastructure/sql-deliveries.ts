import { Injectable } from '@nestjs/common';
import { afterCommit, TransactionScope } from '@vrs/service-kit';
import type { AttemptRecord, Deliveries, Delivery, DeliveryStatus } from '../application/ports/deliveries.port';
import type { WebhookMessage } from '../domain/webhook-message';
import { webhookAttempts } from './webhook-metrics';

const fromRow = (row: any): Delivery => ({
  id: row.id,
  jobId: row.job_id,
  tenantId: row.tenant_id,
  url: row.url,
  method: row.method,
  headers: row.headers,
  body: row.body,
  attempts: row.attempts,
  retryUntil: new Date(row.retry_until),
});

/**
 * `Deliveries` in the notifier's database (TypeORM answers an UPDATE with [rows, count], an INSERT with rows).
 * Attempts are counted (vrs_webhook_attempts_total) once their record commits.
 */
@Injectable()
export class SqlDeliveries implements Deliveries {
  constructor(private readonly scope: TransactionScope) {}

  private get manager() {
    return this.scope.manager;
  }

  async insert(delivery: { id: string; jobId: string; tenantId: string; retryUntil: Date } & WebhookMessage): Promise<boolean> {
    const rows = await this.manager.query(
      `INSERT INTO webhook_deliveries (id, job_id, tenant_id, url, method, headers, body, status, next_attempt_at, retry_until)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', now(), $8) ON CONFLICT (job_id) DO NOTHING RETURNING id`,
      [delivery.id, delivery.jobId, delivery.tenantId, delivery.url, delivery.method, JSON.stringify(delivery.headers), delivery.body, delivery.retryUntil],
    );
    return rows.length > 0;
  }

  async claimDue(limit: number, leaseMs: number): Promise<Delivery[]> {
    const [rows] = await this.manager.query(
      `UPDATE webhook_deliveries d SET next_attempt_at = now() + make_interval(secs => $2::float8 / 1000), updated_at = now()
       FROM (SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now()
             ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) due
       WHERE d.id = due.id RETURNING d.*`,
      [limit, leaseMs],
    );
    return rows.map(fromRow);
  }

  async recordAttempt(deliveryId: string, record: AttemptRecord): Promise<boolean> {
    const status: DeliveryStatus = record.outcome === 'retrying' ? 'pending' : record.outcome;
    const [rows] = await this.manager.query(
      `UPDATE webhook_deliveries SET attempts = $2, status = $3, next_attempt_at = $4, last_error = $5, updated_at = now()
       WHERE id = $1 AND attempts = $2 - 1 RETURNING id`,
      [deliveryId, record.attempt, status, record.nextAttemptAt, record.error],
    );
    if (rows.length === 0) return false;
    await this.manager.query(
      `INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code, duration_ms, error, outcome) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [deliveryId, record.attempt, record.attemptedAt, record.statusCode, record.durationMs, record.error, record.outcome],
    );
    afterCommit(this.manager, () => webhookAttempts.inc({ outcome: record.outcome }));
    return true;
  }

  async postpone(deliveryId: string, until: Date): Promise<void> {
    await this.manager.query(`UPDATE webhook_deliveries SET next_attempt_at = $2, updated_at = now() WHERE id = $1 AND status = 'pending'`, [
      deliveryId,
      until,
    ]);
    webhookAttempts.inc({ outcome: 'circuit_open' });
  }

  async redeliver(jobId: string, tenantId: string, retryUntil: Date): Promise<boolean> {
    const [rows] = await this.manager.query(
      `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), retry_until = $3, updated_at = now()
       WHERE job_id = $1 AND tenant_id = $2 RETURNING id`,
      [jobId, tenantId, retryUntil],
    );
    return rows.length > 0;
  }

  async nextDueAt(): Promise<Date | null> {
    const [row] = await this.manager.query(`SELECT min(next_attempt_at) AS due FROM webhook_deliveries WHERE status = 'pending'`);
    return row?.due ? new Date(row.due) : null;
  }
}
