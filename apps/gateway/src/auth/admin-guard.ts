import { timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { GatewayConfig } from '../config';
import { GATEWAY_CONFIG } from '../tokens';
import { AuthFailureGate } from './auth-failure-gate';

/** Operator routes: `Authorization: Bearer <ADMIN_TOKEN>`; without ADMIN_TOKEN configured, nobody passes. */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(
    private readonly gate: AuthFailureGate,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    await this.gate.authenticate(req, /^Bearer\s+(.+)$/i.exec(req.header('authorization') ?? '')?.[1], (given) => this.isAdminToken(given) || undefined);
    return true;
  }

  private isAdminToken(given: string): boolean {
    const admin = this.config.ADMIN_TOKEN;
    const bytes = Buffer.from(given);
    return !!admin && bytes.length === admin.length && timingSafeEqual(bytes, Buffer.from(admin));
  }
}
