import { JsonLogger } from './json-logger';
import { withLogContext } from './log-context';
import { MASK, redact } from './redact';

describe('redact', () => {
  it('masks secrets at any depth and keeps the rest', () => {
    const out = redact({ upload: { params: { bucket: 'b', accessKeyId: 'AKIA', accessKeySecret: 's3cr3t' } }, n: 1 }) as any;
    expect(out.upload.params).toEqual({ bucket: 'b', accessKeyId: MASK, accessKeySecret: MASK });
    expect(out.n).toBe(1);
  });
});

describe('JsonLogger', () => {
  it('writes one JSON object per line with the job id from the context', () => {
    const lines: string[] = [];
    const log = new JsonLogger('svc', 'info', (l) => lines.push(l));
    withLogContext({ jobId: 'job-1' }, () => log.child('c').info('hello', { token: 'x' }));
    log.child('c').debug('hidden');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'info', service: 'svc', component: 'c', jobId: 'job-1', msg: 'hello', token: MASK });
  });
});
