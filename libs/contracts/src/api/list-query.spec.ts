import { toFieldIssues } from '../registry';
import { listJobsQuery, listTemplatesQuery } from './list-query';

describe('list query parameters', () => {
  it('refuses a limit that is not a whole number from 1 to 1000, naming limit', () => {
    for (const limit of ['abc', '0', '1001', '2.5']) {
      const result = listJobsQuery.safeParse({ limit });
      expect(result.success).toBe(false);
      expect(toFieldIssues(result.error!)).toEqual([{ field: 'limit', message: 'must be a whole number from 1 to 1000' }]);
    }
    expect(listTemplatesQuery.parse({})).toEqual({ limit: 100 });
  });

  it('names an unknown state, a bad time, a bad sort and unknown parameters', () => {
    const result = listJobsQuery.safeParse({ states: 'finished,done', from: 'yesterday', sort: 'up', page: '2' });
    expect(
      toFieldIssues(result.error!)
        .map((issue) => issue.field)
        .sort(),
    ).toEqual(['(body)', 'from', 'sort', 'states[1]']);
    expect(toFieldIssues(result.error!).find((issue) => issue.field === '(body)')!.message).toBe('unknown parameter page; use states, limit, from, sort');
  });
});
