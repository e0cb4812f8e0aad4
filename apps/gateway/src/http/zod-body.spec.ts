import { z } from 'zod';
import { listJobsQuery } from '@vrs/contracts';
import { ApiError } from './api-error';
import { parseBody, parseQuery } from './zod-body';

const errorOf = (run: () => unknown): ApiError => {
  try {
    run();
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('expected a 400');
};

describe('request validation answers', () => {
  it('a bad query parameter is called a parameter, not a body field', () => {
    const error = errorOf(() => parseQuery(listJobsQuery, { limit: 'abc' }));
    expect(error.getStatus()).toBe(400);
    expect(error.error).toBe('The query has 1 invalid parameter: limit: must be a whole number from 1 to 1000.');
    expect(error.details).toEqual([{ field: 'limit', message: 'must be a whole number from 1 to 1000' }]);
  });

  it('a bad body says how many fields are wrong and names the first', () => {
    const error = errorOf(() => parseBody(z.strictObject({ a: z.string(), b: z.number() }), { a: 1, b: 'x' }));
    expect(error.error).toMatch(/^The request body has 2 invalid fields: a: .* \(see details\)\.$/);
  });
});
