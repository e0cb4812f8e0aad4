import { canonicalJson, requestFingerprint } from './request-fingerprint';

describe('request fingerprint', () => {
  it('ignores key order and whitespace but keeps array order', () => {
    const a = JSON.parse('{"b": 1, "a": {"y": [1, 2], "x": "s"}}');
    const b = JSON.parse('{"a":{"x":"s","y":[1,2]},"b":1}');
    expect(canonicalJson(a)).toBe('{"a":{"x":"s","y":[1,2]},"b":1}');
    expect(requestFingerprint('POST /jobs/join', a)).toBe(requestFingerprint('POST /jobs/join', b));
    expect(requestFingerprint('POST /jobs/join', { a: [1, 2] })).not.toBe(requestFingerprint('POST /jobs/join', { a: [2, 1] }));
  });

  it('tells apart values that print alike and the same body sent to another route', () => {
    expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({}));
    expect(canonicalJson({ 'a"b': 'x' })).toBe('{"a\\"b":"x"}');
    expect(requestFingerprint('POST /jobs', { a: 1 })).not.toBe(requestFingerprint('POST /batches', { a: 1 }));
    expect(requestFingerprint('POST /jobs', { a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('treats numbers by value, as JSON.parse gives them', () => {
    expect(canonicalJson(JSON.parse('{"n": 1.0, "m": 1e2}'))).toBe('{"m":100,"n":1}');
  });
});
