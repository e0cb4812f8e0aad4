import { Controller, Get, HttpStatus, Injectable, OnApplicationShutdown, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';

/** What the health endpoint checks; the service bootstrap fills in the broker side once connected. */
@Injectable()
export class HealthState implements OnApplicationShutdown {
  kafka?: Kafka;
  /** One admin connection for health checks, reopened after a failure rather than on every probe. */
  private admin?: Promise<Admin>;
  consumerJoined = false;
  consumerExpected = true;
  private consumerCrashed?: string;

  watch(consumer: Consumer): void {
    consumer.on(consumer.events.GROUP_JOIN, () => { this.consumerJoined = true; this.consumerCrashed = undefined; });
    consumer.on(consumer.events.CRASH, (event) => { this.consumerJoined = false; this.consumerCrashed = String(event.payload.error?.message); });
    consumer.on(consumer.events.STOP, () => { this.consumerJoined = false; });
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
    return await Promise.race([work, new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms); })]);
  } finally {
    clearTimeout(timer);
  }
}

@Controller()
export class HealthController {
  constructor(private readonly dataSource: DataSource, private readonly state: HealthState) {}

  /** 200 when the database and broker answer and the consumer is in its group; 503 with the reason otherwise. */
  @Get('health')
  async health(@Res() res: Response): Promise<void> {
    const checks: Record<string, string> = {};
    checks.database = await withTimeout(this.dataSource.query('SELECT 1'), 2_000).then(() => 'up', (e) => `down: ${e.message}`);
    checks.broker = this.state.kafka
      ? await withTimeout(this.state.withBrokerAdmin(this.state.kafka, (admin) => admin.describeCluster()), 3_000).then(() => 'up', (e) => `down: ${e.message}`)
      : 'down: not connected';
    if (this.state.consumerExpected) checks.consumer = this.state.consumerProblem ?? 'joined';
    const healthy = Object.values(checks).every((v) => v === 'up' || v === 'joined');
    res.status(healthy ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({ status: healthy ? 'ok' : 'unavailable', checks });
  }
}
