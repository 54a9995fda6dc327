import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../../helpers/app.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { addTestUser, createTestChurch, type TestChurch, tenantServerFor } from '../../helpers/session.js';

const RACES = 50;

// Admin X disables admin Y while one of them demotes itself, both at once: whichever order the
// writes take, the church keeps an enabled admin.
describe.each(DIALECTS)('the last admin cannot be lost to a race (tenant on %s)', (dialect) => {
  let stack: TestStack;
  let church: TestChurch;

  beforeAll(async () => {
    stack = await createTestStack(dialect);
    const server = await tenantServerFor(stack, dialect);
    church = await createTestChurch(stack, { roles: [], server });
  });
  afterAll(() => stack.close());

  const enabledAdmins = () =>
    stack.services.deps.tenants.withTenant(church.id, async (db) =>
      (
        await db
          .selectFrom('users')
          .select('id')
          .where('role', '=', 'admin')
          .where('disabled', '=', 0)
          .execute()
      ).map((r) => r.id),
    );

  it(`${RACES} races of "X disables Y" against "Y (or X) demotes itself"`, async () => {
    for (let i = 0; i < RACES; i++) {
      // Each race starts from exactly two enabled admins.
      await stack.services.deps.tenants.withTenant(church.id, (db) =>
        db.updateTable('users').set({ disabled: 1 }).execute(),
      );
      const x = await addTestUser(stack, church, 'admin');
      const y = await addTestUser(stack, church, 'admin');
      expect(await enabledAdmins()).toHaveLength(2);
      const demoter = i % 2 === 0 ? y : x;
      const [disable, demote] = await Promise.all([
        stack.app.inject({ method: 'POST', url: `/api/users/${y.id}/disable`, headers: x.headers }),
        stack.app.inject({
          method: 'PATCH',
          url: `/api/users/${demoter.id}`,
          headers: demoter.headers,
          payload: { role: 'staff' },
        }),
      ]);
      // A token may already be revoked by the other write (401: X demoted, or Y disabled), or
      // its write lost the race (409).
      expect([200, 401, 409]).toContain(disable.statusCode);
      expect([200, 401, 409]).toContain(demote.statusCode);
      expect(await enabledAdmins()).not.toHaveLength(0);
    }
  });
});
