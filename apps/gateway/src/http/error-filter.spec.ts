import type { ArgumentsHost } from '@nestjs/common';
import { ApiError } from './api-error';
import { ErrorFilter } from './error-filter';

function respond(exception: unknown, headersSent = false) {
  const sent: { status?: number; body?: unknown; headers: Record<string, string>; destroyed?: boolean } = { headers: {} };
  const res = {
    headersSent,
    destroy() {
      sent.destroyed = true;
    },
    status(code: number) {
      sent.status = code;
      return res;
    },
    setHeader(name: string, value: string) {
      sent.headers[name] = value;
      return res;
    },
    json(body: unknown) {
      sent.body = body;
      return res;
    },
  };
  new ErrorFilter().catch(exception, { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost);
  return sent;
}

describe('ErrorFilter', () => {
  it('keeps the documented shape for API errors', () => {
    expect(respond(ApiError.badRequest('bad', [{ field: 'assets', message: 'm' }]))).toMatchObject({
      status: 400,
      body: { error: 'bad', details: [{ field: 'assets', message: 'm' }] },
    });
  });

  it('answers 503 with Retry-After when the database is out of reach', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(respond(refused)).toMatchObject({ status: 503, headers: { 'Retry-After': '5' } });
  });

  it('answers anything unexpected with a 500 that leaks nothing', () => {
    const sent = respond(new Error('secret internals'));
    expect(sent.status).toBe(500);
    expect(JSON.stringify(sent.body)).not.toContain('secret internals');
  });

  it('closes, and writes nothing to, a response whose headers are already out (a stream that failed mid-file)', () => {
    const sent = respond(new Error('storage read failed'), true);
    expect(sent).toEqual({ headers: {}, destroyed: true });
  });
});
