import { AssignerProtocol } from 'kafkajs';
import { assignedTopics, partitionLag } from './consumer-lag';

describe('partitionLag', () => {
  it('is the distance from the committed offset to the end', () => {
    expect(partitionLag({ partition: 0, committed: '3', low: '0', high: '10' })).toBe(7);
    expect(partitionLag({ partition: 0, committed: '10', low: '0', high: '10' })).toBe(0);
  });

  it('counts from the earliest retained message when nothing is committed or the commit is older than retention', () => {
    expect(partitionLag({ partition: 0, committed: '-1', low: '4', high: '10' })).toBe(6);
    expect(partitionLag({ partition: 0, committed: '2', low: '4', high: '10' })).toBe(6);
  });

  it('is never negative (a commit read before the end offset moved)', () => {
    expect(partitionLag({ partition: 0, committed: '12', low: '0', high: '10' })).toBe(0);
  });
});

describe('assignedTopics', () => {
  it('decodes the topics of every member, once each; a member without an assignment yet adds none', () => {
    const assignment = (topics: Record<string, number[]>) =>
      AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: topics, userData: Buffer.alloc(0) });
    expect(
      assignedTopics([
        { memberAssignment: assignment({ 'stitch.requested': [0, 1], 'job.cancel-requested': [2] }) },
        { memberAssignment: assignment({ 'stitch.requested': [2, 3] }) },
        { memberAssignment: Buffer.alloc(0) },
      ]).sort(),
    ).toEqual(['job.cancel-requested', 'stitch.requested']);
  });
});
