import { CallHandler, ExecutionContext, HttpStatus, Inject, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_TTL_HOURS, idempotencyKey } from '@vrs/contracts';
import { TransactionScope } from '@vrs/service-kit';
import { IDEMPOTENCY_KEYS, type IdempotencyKeys } from '../application/ports/idempotency-keys.port';
import type { Tenant } from '../domain/tenant';
import { ApiError } from '../http/api-error';
import { requestFingerprint } from './request-fingerprint';

/**
 * Makes a creating route honour `Idempotency-Key`: the key is claimed, the route runs and its
 * answer is stored, all in one transaction (the route's reads and writes join it through `TransactionScope`).
 * A repeat with the same body gets the stored status and body; with another body, a 422. A
 * concurrent repeat waits for the first to commit, then replays it. Error answers are not stored
 * (the transaction rolls back), so a corrected retry may use the same key.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly scope: TransactionScope,
    @Inject(IDEMPOTENCY_KEYS) private readonly keys: IdempotencyKeys,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request & { tenant?: Tenant }>();
    const header = req.header(IDEMPOTENCY_KEY_HEADER);
    if (header === undefined) return next.handle();
    const key = idempotencyKey.safeParse(header);
    if (!key.success) throw ApiError.badRequest(`${key.error.issues[0].message}.`, [{ field: IDEMPOTENCY_KEY_HEADER, message: key.error.issues[0].message }]);
    const tenant = req.tenant;
    if (!tenant) throw new Error('an @Idempotent() route must sit behind TenantGuard');
    const res = context.switchToHttp().getResponse<Response>();
    const fingerprint = requestFingerprint(`${req.method} ${req.route?.path ?? req.path}`, req.body);
    return from(this.once(tenant.id, key.data, fingerprint, res, next));
  }

  private async once(tenantId: string, key: string, fingerprint: string, res: Response, next: CallHandler): Promise<unknown> {
    const answer = await this.scope.within(async () => {
      const earlier = await this.keys.claim(tenantId, key, fingerprint, IDEMPOTENCY_KEY_TTL_HOURS);
      if (earlier) {
        if (earlier.requestHash !== fingerprint) {
          throw new ApiError(
            HttpStatus.UNPROCESSABLE_ENTITY,
            `This ${IDEMPOTENCY_KEY_HEADER} was already used with a different request body (or route); use a new key for a new request.`,
            [{ field: IDEMPOTENCY_KEY_HEADER, message: 'already used with a different request' }],
          );
        }
        res.setHeader('Idempotent-Replayed', 'true');
        return { status: earlier.status, json: earlier.response };
      }
      const json = JSON.stringify(await lastValueFrom(next.handle()));
      await this.keys.complete(tenantId, key, res.statusCode, json);
      return { status: res.statusCode, json };
    });
    res.status(answer.status);
    // Parsed from the stored text, so the first answer and every replay serialise to the same bytes.
    return JSON.parse(answer.json);
  }
}

/** Put on a creating route (behind TenantGuard) to make it honour `Idempotency-Key`. */
export const Idempotent = () => UseInterceptors(IdempotencyInterceptor);
