import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { SignJWT, base64url } from 'jose';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JWT_AUDIENCE, JWT_ISSUER, JWT_TYP } from '../../src/auth/access-token.js';
import { createTestStack, type TestStack } from '../helpers/app.js';
import { createTestChurch, TEST_PASSWORD, type TestChurch } from '../helpers/session.js';

const SECRET = 'jwt-attack-suite-secret-0123456789abcdef';
const key = new TextEncoder().encode(SECRET);
const now = () => Math.floor(Date.now() / 1000);

let stack: TestStack;
let church: TestChurch;
let baseline: Record<string, unknown>;

beforeAll(async () => {
  stack = await createTestStack('sqlite', { JWT_SECRET: SECRET });
  church = await createTestChurch(stack, { roles: ['admin', 'viewer'] });
  baseline = (await stack.app.inject({ url: '/api/me' })).json();
});
afterAll(() => stack.close());

/** Valid claims for the viewer; each attack changes one thing. */
function claims(over: Record<string, unknown> = {}) {
  const jti = uuidv7();
  return {
    sub: church.users.viewer.id,
    tid: church.id,
    role: 'viewer',
    jti,
    iat: now(),
    exp: now() + 900,
    iss: JWT_ISSUER,
    aud: JWT_AUDIENCE,
    ...over,
  };
}

function sign(payload: Record<string, unknown>, header: Record<string, unknown> = {}, k: Uint8Array = key) {
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: JWT_TYP, ...header }).sign(k);
}

const enc = (o: object) => base64url.encode(JSON.stringify(o));
function unsigned(alg: string) {
  return `${enc({ alg, typ: JWT_TYP })}.${enc(claims())}.`;
}

async function expectRefused(token: string, url = '/api/me') {
  const res = await stack.app.inject({ url, headers: { authorization: `Bearer ${token}` } });
  expect(res.statusCode).toBe(401);
  expect({ ...res.json(), requestId: 0 }).toEqual({ ...baseline, requestId: 0 });
}

describe('JWT attacks: every one gets the same 401', () => {
  it('control: a correctly signed token passes', async () => {
    const res = await stack.app.inject({
      url: '/api/me',
      headers: { authorization: `Bearer ${await sign(claims())}` },
    });
    expect(res.statusCode).toBe(200);
  });

  it.each(['none', 'None', 'NONE', 'nOnE'])('alg %s with an empty signature', async (alg) => {
    await expectRefused(unsigned(alg));
  });

  it('HS256 header with an empty signature', async () => {
    await expectRefused(unsigned('HS256'));
  });

  it('HS256 signed with an RSA public key (key confusion)', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    await expectRefused(await sign(claims(), {}, new TextEncoder().encode(pem)));
  });

  it.each([
    ['another strong secret', 'a-completely-different-secret-of-40-chars!'],
    ['a weak secret', 'secret'],
  ])('signed with %s', async (_name, secret) => {
    await expectRefused(await sign(claims(), {}, new TextEncoder().encode(secret)));
  });

  it('tampered payload (viewer -> admin, signature kept)', async () => {
    const [h, , s] = (await sign(claims())).split('.');
    await expectRefused(`${h}.${enc(claims({ role: 'admin' }))}.${s}`, '/api/users');
  });

  it('expired beyond the 30 s leeway', async () => {
    await expectRefused(await sign(claims({ iat: now() - 1000, exp: now() - 31 })));
  });

  it('issued in the future beyond the 30 s leeway', async () => {
    await expectRefused(await sign(claims({ iat: now() + 120, exp: now() + 900 })));
  });

  it('a lifetime longer than the 15 minutes we issue', async () => {
    await expectRefused(await sign(claims({ iat: now(), exp: now() + 901 })));
    await expectRefused(await sign(claims({ iat: now() - 60, exp: now() + 24 * 3600 })));
  });

  it('not valid yet (future nbf)', async () => {
    await expectRefused(await sign(claims({ nbf: now() + 120 })));
  });

  it.each(['exp', 'iat', 'jti', 'sub', 'tid', 'role'])('missing %s', async (claim) => {
    const c: Record<string, unknown> = claims();
    delete c[claim];
    await expectRefused(await sign(c));
  });

  it.each([
    ['iss', { iss: 'someone-else' }],
    ['aud', { aud: 'another-api' }],
    ['role', { role: 'superuser' }],
    ['tid', { tid: '../../etc/passwd' }],
    ['jti', { jti: randomUUID() }], // not a UUIDv7: we never issued it
  ])('wrong %s', async (_n, over) => {
    await expectRefused(await sign(claims(over)));
  });

  it.each(['JWT', 'jwt', 'refresh+jwt'])('wrong typ %s', async (typ) => {
    await expectRefused(await sign(claims(), { typ }));
  });

  it.each(['../../../../dev/null', "' OR '1'='1", '/etc/passwd'])(
    'kid %s (signed with a key of our choosing)',
    async (kid) => {
      await expectRefused(await sign(claims(), { kid }, new Uint8Array(32)));
    },
  );

  it('embedded jwk / jku naming the attacker key', async () => {
    const attacker = new TextEncoder().encode('attacker-controlled-secret-0123456789');
    const jwk = { kty: 'oct', k: base64url.encode(attacker) };
    await expectRefused(await sign(claims(), { jwk }, attacker));
    await expectRefused(await sign(claims(), { jku: 'http://127.0.0.1:1/jwks.json' }, attacker));
    // Even signed with our key, a token asking us to resolve keys is not one we issued.
    await expectRefused(await sign(claims(), { jwk }));
  });

  it.each([
    '',
    'Bearer',
    'Bearer ',
    'Basic dXNlcjpwYXNz',
    'bearer x.y.z',
    `Bearer ${'a'.repeat(5000)}.b.c`,
    'Bearer a.b',
  ])('malformed Authorization %j', async (authorization) => {
    const res = await stack.app.inject({ url: '/api/me', headers: { authorization } });
    expect(res.statusCode).toBe(401);
    expect({ ...res.json(), requestId: 0 }).toEqual({ ...baseline, requestId: 0 });
  });

  it('a disabled user and a token issued before a password change', async () => {
    const admin = church.as('admin');
    const login = async (email: string, password: string) =>
      (
        await stack.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { church: church.slug, email, password },
        })
      ).json().data.accessToken as string;
    const created = await stack.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin,
      payload: { email: 'soon-disabled@x.example', name: 'D', role: 'viewer', password: TEST_PASSWORD },
    });
    const id = created.json().data.id;
    const token = await login('soon-disabled@x.example', TEST_PASSWORD);
    await stack.app.inject({ method: 'POST', url: `/api/users/${id}/disable`, headers: admin });
    await expectRefused(token);

    const before = await login(church.users.viewer.email, TEST_PASSWORD);
    const changed = await stack.app.inject({
      method: 'POST',
      url: '/api/me/password',
      headers: { authorization: `Bearer ${before}` },
      payload: { currentPassword: TEST_PASSWORD, newPassword: 'another long password' },
    });
    expect(changed.statusCode).toBe(200);
    await expectRefused(before);
  });
});
