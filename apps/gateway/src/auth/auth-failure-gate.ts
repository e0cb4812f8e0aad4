import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { GatewayConfig } from '../config';
import { hashToken } from '../domain/tenant';
import { ApiError } from '../http/api-error';
import { GATEWAY_CONFIG } from '../tokens';
import { AuthFailureLimiter } from './auth-failure-limiter';

/**
 * The gateway's use of the failed-authentication limiter, shared by every way in (tenant tokens,
 * the admin token): per instance and per client address (`req.ip`, which honours TRUST_PROXY).
 */
@Injectable()
export class AuthFailureGate {
  private readonly limiter: AuthFailureLimiter;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.limiter = new AuthFailureLimiter({
      maxFailures: config.AUTH_FAILURE_LIMIT,
      windowMs: config.AUTH_FAILURE_WINDOW_SECONDS * 1000,
      maxClients: 50_000,
      knownGoodMs: 15 * 60_000,
      maxKnownGood: 10_000,
    });
  }

  /**
   * Authenticates with `verify` unless the client is refused first (429 with Retry-After); a failed
   * `verify` is counted and answered 401. Answers what `verify` found.
   */
  async authenticate<T>(req: Request, token: string | undefined, verify: (token: string) => Promise<T | undefined> | T | undefined): Promise<T> {
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const credential = token === undefined ? undefined : hashToken(token);
    const retryAfter = this.limiter.retryAfterSeconds(client, credential);
    if (retryAfter > 0) {
      throw new ApiError(HttpStatus.TOO_MANY_REQUESTS, `Too many failed authentications from this address; retry in ${retryAfter} s.`, undefined, {
        'Retry-After': String(retryAfter),
      });
    }
    const found = token === undefined ? undefined : await verify(token);
    if (found === undefined) {
      this.limiter.recordFailure(client);
      throw ApiError.unauthorized();
    }
    this.limiter.recordSuccess(credential!);
    return found;
  }
}
