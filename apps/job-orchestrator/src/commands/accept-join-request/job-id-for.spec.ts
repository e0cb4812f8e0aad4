import { TOPICS, type JoinRequested } from '@vrs/contracts';
import type { IncomingMessage } from '@vrs/messaging';
import { jobIdFor } from './accept-join-request.handler';

describe('jobIdFor', () => {
  const request = { schemaVersion: 1, tenantId: 't', assets: [{ type: 'video', src: 'http://127.0.0.1:9/a.mp4' }] } as JoinRequested;
  const record = (timestamp: string): IncomingMessage => ({ topic: TOPICS.joinRequested, partition: 2, offset: '12', key: null, value: null, timestamp });

  it("keeps the producer's own job id", () => {
    expect(jobIdFor({ ...request, jobId: 'mine' }, record('1'))).toBe('mine');
  });

  it('gives every delivery of one record the same id, and a later record at the same offset another', () => {
    expect(jobIdFor(request, record('1764000000000'))).toBe(jobIdFor(request, record('1764000000000')));
    expect(jobIdFor(request, record('1764003600000'))).not.toBe(jobIdFor(request, record('1764000000000')));
  });
});
