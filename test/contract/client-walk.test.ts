import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components, paths } from '../../web/src/api/schema.js';
import { createTestStack, type TestStack } from '../helpers/app.js';

/**
 * A client generated from the served document (openapi-typescript types in
 * web/src/api/schema.d.ts, openapi-fetch) walks the API over real HTTP: register, log in, create
 * and list people, record a donation, and read an error as a Problem. `npm run typecheck` checks
 * this file: it has no casts (client-walk-source.test.ts makes sure), so every body it reads is
 * typed by the document alone.
 */
type Problem = components['schemas']['Problem'];
type Person = components['schemas']['Person'];

let stack: TestStack;
let client: ReturnType<typeof createClient<paths>>;

beforeAll(async () => {
  stack = await createTestStack('sqlite');
  const address = await stack.app.listen({ port: 0, host: '127.0.0.1' });
  client = createClient<paths>({ baseUrl: address });
});
afterAll(() => stack.close());

describe('a generated client', () => {
  it('registers, logs in, adds and lists people, records a donation, and reads errors as Problems', async () => {
    const registered = await client.POST('/api/registrations', {
      params: { query: { wait: true } },
      body: {
        church: { name: 'Walk Chapel', slug: 'walk-chapel', timezone: 'America/Chicago', currency: 'USD' },
        admin: { name: 'Ana Walker', email: 'ana@walk.example', password: 'a long passphrase' },
      },
    });
    expect(registered.response.status).toBe(201);
    expect(registered.data?.data.status).toBe('ready');
    expect(registered.response.headers.get('location')).toBe(
      `/api/registrations/${registered.data?.data.id}`,
    );

    const login = await client.POST('/api/auth/login', {
      body: { church: 'walk-chapel', email: 'ana@walk.example', password: 'a long passphrase' },
    });
    const session = login.data?.data;
    expect(session?.user.role).toBe('admin');
    const headers = { authorization: `Bearer ${session?.accessToken}` };

    const created = await client.POST('/api/people', {
      headers,
      body: { firstName: 'Ada', lastName: 'Lovelace', membershipStatus: 'member' },
    });
    const ada: Person | undefined = created.data?.data;
    expect(ada?.membershipStatus).toBe('member');

    const listed = await client.GET('/api/people', { headers, params: { query: { q: 'love', limit: 10 } } });
    expect(listed.data?.data.map((p) => p.id)).toEqual([ada?.id]);
    expect(listed.data?.meta).toEqual({ nextCursor: null, limit: 10 });

    const fund = await client.POST('/api/funds', { headers, body: { name: 'General' } });
    const donation = await client.POST('/api/donations', {
      headers,
      body: {
        personId: ada?.id,
        fundId: fund.data?.data.id,
        amountCents: 12_345,
        receivedOn: '2025-03-02',
        method: 'check',
        checkNumber: '1001',
      },
    });
    expect(donation.response.status).toBe(201);
    expect(donation.data?.data).toMatchObject({ amountCents: 12_345, method: 'check' });

    const missing = await client.GET('/api/people/{id}', { headers, params: { path: { id: 'nobody' } } });
    const notFound: Problem | undefined = missing.error;
    expect(missing.response.status).toBe(404);
    expect(notFound?.code).toBe('NOT_FOUND');
    expect(notFound?.requestId).toBe(missing.response.headers.get('x-request-id'));

    const invalid = await client.POST('/api/people', { headers, body: { firstName: '', lastName: 'X' } });
    const badRequest: Problem | undefined = invalid.error;
    expect(badRequest?.code).toBe('VALIDATION_FAILED');
    expect(badRequest?.errors?.map((e) => e.path)).toEqual(['/body/firstName']);
  });
});
