import { InOrderOffsets } from './in-order-offsets';

describe('InOrderOffsets', () => {
  it('commits nothing while an earlier message of the partition runs, then everything done up to the first unfinished', () => {
    const offsets = new InOrderOffsets();
    const [a, b, c] = ['10', '11', '12'].map((o) => offsets.enter('t', 0, o));
    expect(offsets.finish(c)).toBeUndefined();
    expect(offsets.finish(b)).toBeUndefined();
    expect(offsets.finish(a)).toBe('13');
  });

  it('commits each message at once when they finish in order', () => {
    const offsets = new InOrderOffsets();
    const a = offsets.enter('t', 0, '5');
    const b = offsets.enter('t', 0, '6');
    expect(offsets.finish(a)).toBe('6');
    expect(offsets.finish(b)).toBe('7');
  });

  it('keeps partitions and topics apart', () => {
    const offsets = new InOrderOffsets();
    const slow = offsets.enter('t', 0, '1');
    const other = offsets.enter('t', 1, '8');
    const otherTopic = offsets.enter('u', 0, '2');
    expect(offsets.finish(other)).toBe('9');
    expect(offsets.finish(otherTopic)).toBe('3');
    expect(offsets.finish(slow)).toBe('2');
  });

  it('stops at a message that is never finished (abandoned at shutdown)', () => {
    const offsets = new InOrderOffsets();
    offsets.enter('t', 0, '1');
    const later = offsets.enter('t', 0, '2');
    expect(offsets.finish(later)).toBeUndefined();
  });

  it('starts a partition again when the consumer re-reads it from an earlier offset, and ignores what was in flight before', () => {
    const offsets = new InOrderOffsets();
    const stale = offsets.enter('t', 0, '4');
    offsets.enter('t', 0, '5');
    const again = offsets.enter('t', 0, '4'); // redelivered from the committed offset
    expect(offsets.finish(stale)).toBeUndefined();
    expect(offsets.finish(again)).toBe('5');
  });

  it('after a new assignment, finishing work admitted before it commits nothing', () => {
    const offsets = new InOrderOffsets();
    const before = offsets.enter('t', 0, '7');
    offsets.reassigned();
    const after = offsets.enter('t', 0, '9');
    expect(offsets.finish(before)).toBeUndefined();
    expect(offsets.finish(after)).toBe('10');
  });
});
