import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../../helpers/app.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { createTestChurch, type TestChurch } from '../../helpers/session.js';

// Gift and batch dates outside 1900-2100 (0000-01-01, a year typed 20240) are refused with a 400
// that names the field and the range; nothing is stored.
describe.each(DIALECTS)('gift and batch dates (catalog on %s)', (dialect) => {
  let stack: TestStack;
  let church: TestChurch;
  let fundId: string;

  beforeAll(async () => {
    stack = await createTestStack(dialect);
    church = await createTestChurch(stack, { roles: ['finance'] });
    fundId = (await call('POST', '/api/funds', { name: 'General' })).json().data.id;
  });
  afterAll(() => stack.close());

  const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
    stack.app.inject({ method, url, headers: church.as('finance'), payload });
  const gift = (receivedOn: string) =>
    call('POST', '/api/donations', { fundId, amountCents: 1000, receivedOn, method: 'cash' });

  it.each(['0000-01-01', '1899-12-31', '2101-01-01'])('a gift on %s: 400 naming the range', async (date) => {
    const res = await gift(date);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toContainEqual({
      path: '/body/receivedOn',
      message: expect.stringMatching(/1900-01-01|2100-12-31/),
    });
    const batch = await call('POST', '/api/batches', { name: 'Sunday', date });
    expect(batch.statusCode).toBe(400);
    expect(batch.json().errors[0].path).toBe('/body/date');
  });

  it('the ends of the range are accepted, and only the valid gifts were stored', async () => {
    expect((await gift('1900-01-01')).statusCode).toBe(201);
    expect((await gift('2100-12-31')).statusCode).toBe(201);
    expect((await call('POST', '/api/batches', { name: 'Sunday', date: '2024-05-05' })).statusCode).toBe(201);
    expect((await call('GET', '/api/donations')).json().data).toHaveLength(2);
  });
});
