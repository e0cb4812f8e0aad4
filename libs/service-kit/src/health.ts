import { Controller, Get, HttpStatus, Injectable, OnApplicationShutdown, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';

/** What the health endpoints check; the service bootstrap fills in the broker side once connected. */
@Injectable()
export class HealthState implements OnApplicationShutdown {
  kafka?: Kafka;
  /** One admin connection for health checks, reopened after a failure rather than on every probe. */
  private admin?: Promise<Admin>;
  consumerJoined = false;
  consumerExpected = true;
  /** Set on SIGTERM: the instance finishes its work but takes no new traffic. */
  draining = false;
  private consumerCrashed?: string;
  /** The consumer crashed and kafkajs will not restart it: only a new process recovers. */
  consumerDeadFor?: string;

  watch(consumer: Consumer): void {
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.consumerJoined = true;
      this.consumerCrashed = undefined;
    });
    consumer.on(consumer.events.CRASH, (event) => {
      this.consumerJoined = false;
      this.consumerCrashed = String(event.payload.error?.message);
      if (!event.payload.restart) this.consumerDeadFor = this.consumerCrashed;
    });
    consumer.on(consumer.events.STOP, () => {
      this.consumerJoined = false;
    });
  }

  brokerAdmin(kafka: Kafka): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = kafka.admin();
      await admin.connect();
      return admin;
    })();
    return this.admin;
  }

  /** Runs `use` with the admin connection; a failure drops the connection, so the next use reconnects. */
  async withBrokerAdmin<T>(kafka: Kafka, use: (admin: Admin) => Promise<T>): Promise<T> {
    try {
      return await use(await this.brokerAdmin(kafka));
    } catch (error) {
      await this.dropBrokerAdmin();
      throw error;
    }
  }

  async dropBrokerAdmin(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.then((a) => a.disconnect()).catch(() => undefined);
  }

  onApplicationShutdown(): Promise<void> {
    return this.dropBrokerAdmin();
  }

  get consumerProblem(): string | undefined {
    if (!this.consumerExpected || this.consumerJoined) return undefined;
    return this.consumerCrashed ?? 'not joined to its consumer group yet';
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<T>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Three views of one instance's health:
 * - `GET /health`: its dependencies — 200 when the database and broker answer and the consumer is
 *   in its group; 503 with the reason otherwise (what the scripts and Docker's HEALTHCHECK wait for).
 * - `GET /health/ready`: the same checks, and 503 `draining` once shutdown began, so no new traffic
 *   comes while the instance finishes its work (readiness probe).
 * - `GET /health/live`: 200 while the process can still recover by itself; 503 only when its
 *   consumer stopped for good (liveness probe: a restart is the only cure). A database or broker
 *   outage is not a reason to restart every pod, so it is not part of it.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly state: HealthState,
  ) {}

  @Get()
  async health(@Res() res: Response): Promise<void> {
    const checks = await this.dependencyChecks();
    const healthy = Object.values(checks).every((v) => v === 'up' || v === 'joined');
    res.status(healthy ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({ status: healthy ? 'ok' : 'unavailable', checks });
  }

  @Get('ready')
  async ready(@Res() res: Response): Promise<void> {
    if (this.state.draining) {
      res.status(HttpStatus.SERVICE_UNAVAILABLE).json({ status: 'draining' });
      return;
    }
    await this.health(res);
  }

  @Get('live')
  live(@Res() res: Response): void {
    const dead = this.state.consumerDeadFor;
    res
      .status(dead ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK)
      .json(dead ? { status: 'dead', checks: { consumer: `stopped for good: ${dead}` } } : { status: this.state.draining ? 'draining' : 'ok' });
  }

  private async dependencyChecks(): Promise<Record<string, string>> {
    const checks: Record<string, string> = {};
    checks.database = await withTimeout(this.dataSource.query('SELECT 1'), 2_000).then(
      () => 'up',
      (e) => `down: ${e.message}`,
    );
    checks.broker = this.state.kafka
      ? await withTimeout(
          this.state.withBrokerAdmin(this.state.kafka, (admin) => admin.describeCluster()),
          3_000,
        ).then(
          () => 'up',
          (e) => `down: ${e.message}`,
        )
      : 'down: not connected';
    if (this.state.consumerExpected) checks.consumer = this.state.consumerProblem ?? 'joined';
    return checks;
  }
}
