import { describe, expect, it } from 'vitest';
import { toAppError } from '../../src/http/problem.js';
import { isTransientDbError } from '../../src/infra/db/errors.js';

describe('database connection failures answer 503, not 500', () => {
  const transient = [
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    new Error('Connection terminated unexpectedly'),
    new Error('timeout exceeded when trying to connect'),
    new Error('Query read timeout'),
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    Object.assign(new Error('sorry, too many clients already'), { code: '53300' }),
    new Error('wrapped', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) }),
    // A write refused by a church move's fence (SQLite trigger, PostgreSQL 25006).
    Object.assign(new Error('steeple_church_moving'), { code: 'SQLITE_CONSTRAINT_TRIGGER' }),
    Object.assign(new Error('steeple_church_moving'), { code: '25006' }),
  ];
  it.each(transient.map((e) => [e.message, e]))('%s -> SERVICE_UNAVAILABLE with Retry-After', (_m, err) => {
    expect(isTransientDbError(err)).toBe(true);
    const problem = toAppError(err);
    expect(problem.code).toBe('SERVICE_UNAVAILABLE');
    expect(problem.retryAfter).toBe(1);
  });
  it('other errors stay INTERNAL', () => {
    for (const err of [new Error('boom'), Object.assign(new Error('dup'), { code: '23505' }), undefined]) {
      expect(isTransientDbError(err)).toBe(false);
      expect(toAppError(err).code).toBe('INTERNAL');
    }
  });
});
