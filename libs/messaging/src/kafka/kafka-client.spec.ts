import { logLevel } from 'kafkajs';
import { kafkaLogCreator } from './kafka-client';

function levelLogged(level: number, error: string): string {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    kafkaLogCreator()({ namespace: 'Connection', level, log: { message: 'Response Heartbeat(key: 12, version: 3)', error } });
  } finally {
    write.mockRestore();
  }
  return JSON.parse(lines[0]).level;
}

describe('kafkaLogCreator', () => {
  it('logs the answers of a normal rebalance or failover as warnings', () => {
    expect(levelLogged(logLevel.ERROR, 'The group is rebalancing, so a rejoin is needed')).toBe('warn');
    expect(levelLogged(logLevel.ERROR, "The coordinator is loading and hence can't process requests for this group")).toBe('warn');
  });

  it('keeps real failures as errors', () => {
    expect(levelLogged(logLevel.ERROR, 'Connection error: connect ECONNREFUSED 127.0.0.1:9092')).toBe('error');
  });
});
