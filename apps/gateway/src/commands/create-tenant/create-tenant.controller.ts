import { randomUUID, timingSafeEqual } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { GATEWAY_CONFIG } from '../../tokens';
import type { GatewayConfig } from '../../config';
import { hashToken, newToken } from '../../auth/tenant';
import { createTenantBody, webhookSigningSecret } from '@vrs/contracts';
import { OutboxRelay } from '@vrs/messaging';
import { AuthFailureGate } from '../../auth/auth-failure-gate';
import { publishTenants } from '../../infrastructure/tenant-events';
import { parseBody } from '../../http/zod-body';

/**
 * Operators create tenants with the ADMIN_TOKEN; the API token and webhook secret are shown only here.
 * The tenant is published (tenant.changed) in the same transaction, so Kafka intake learns it exists.
 */
@Controller('admin/tenants')
export class CreateTenantController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly gate: AuthFailureGate,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly relay: OutboxRelay,
  ) {}

  @Post()
  @HttpCode(201)
  async create(@Req() req: Request, @Body() body: unknown) {
    await this.gate.authenticate(req, /^Bearer\s+(.+)$/i.exec(req.header('authorization') ?? '')?.[1], (given) => this.isAdminToken(given) || undefined);
    const { name } = parseBody(createTenantBody, body);
    const id = randomUUID();
    const token = newToken();
    await this.dataSource.transaction(async (manager) => {
      await manager.query('INSERT INTO tenants (id, name, token_hash) VALUES ($1, $2, $3)', [id, name, hashToken(token)]);
      await publishTenants(manager, [id]);
    });
    this.relay.wake();
    return { id, name, token, webhookSigningSecret: webhookSigningSecret(this.config.WEBHOOK_SIGNING_MASTER_SECRET, id) };
  }

  private isAdminToken(given: string): boolean {
    const admin = this.config.ADMIN_TOKEN;
    const bytes = Buffer.from(given);
    return !!admin && bytes.length === admin.length && timingSafeEqual(bytes, Buffer.from(admin));
  }
}
