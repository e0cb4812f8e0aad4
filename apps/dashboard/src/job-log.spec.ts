import { parseJobLog, timelineOf } from './job-log';

const LOG = [
  '2026-12-01T08:00:00.000Z accepted by the API',
  '2026-12-01T08:00:00.100Z [queued] join job accepted with 2 clips',
  '2026-12-01T08:00:01.000Z [render:dorender] stitching 2 clips',
  '2026-12-01T08:00:02.000Z [render:dorender] stitch 50%',
  '2026-12-01T08:00:03.000Z [error] clip 2 (127.0.0.1) could not be fetched: the server answered 404',
  '2026-12-01T08:00:04.000Z [weird] a state this dashboard does not know',
  '',
].join('\n');

describe('the job log as the dashboard reads it', () => {
  it('splits each line into time, state and text', () => {
    const entries = parseJobLog(LOG);
    expect(entries).toHaveLength(6);
    expect(entries[0]).toEqual({ at: '2026-12-01T08:00:00.000Z', text: 'accepted by the API' });
    expect(entries[2]).toEqual({ at: '2026-12-01T08:00:01.000Z', status: 'render:dorender', text: 'stitching 2 clips' });
    expect(entries[4].status).toBe('error');
    expect(entries[4].text).toMatch(/404$/);
  });

  it('keeps an unknown state as text instead of dropping the line', () => {
    expect(parseJobLog(LOG)[5]).toEqual({ at: '2026-12-01T08:00:04.000Z', text: '[weird] a state this dashboard does not know' });
  });

  it('the timeline shows each change of state once, at its first line', () => {
    const timeline = timelineOf(parseJobLog(LOG));
    expect(timeline.map((entry) => entry.status ?? entry.text)).toEqual([
      'accepted by the API',
      'queued',
      'render:dorender',
      'error',
      '[weird] a state this dashboard does not know',
    ]);
    expect(timeline[2].text).toBe('stitching 2 clips');
  });
});
