import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDbServer } from '../../../src/platform/db-servers.js';
import { type TestStack, createTestStack } from '../../helpers/app.js';
import { addPeople, seedEveryTable } from '../../helpers/church-data.js';
import { adminPgUrl, DIALECTS } from '../../helpers/dialects.js';
import { createTestChurch, type TestChurch } from '../../helpers/session.js';

const OPS_TOKEN = 'move-test-ops-token-0123456789abcdef';

for (const dialect of DIALECTS) {
  describe(`a church moved while a client keeps writing (catalog on ${dialect})`, () => {
    let stack: TestStack;
    let church: TestChurch;
    let serverId: string;

    beforeAll(async () => {
      stack = await createTestStack(dialect, { OPS_TOKEN });
      serverId = (await addDbServer(stack.services.deps.catalog, adminPgUrl())).id;
      church = await createTestChurch(stack);
      await stack.services.deps.tenants.withTenant(church.id, async (db) => {
        await seedEveryTable(db, church.users.admin.id);
        await addPeople(db, 3000);
      });
    });
    afterAll(async () => {
      await stack?.close();
    });

    it('lands every acknowledged write on the target; refused writes say 503 with Retry-After', async () => {
      const acknowledged: string[] = [];
      let refused = 0;
      let other = '';
      let moving = true;
      let duringMove = 0;
      // Two clients writing back to back, as fast as the app answers.
      const writer = async (n: number) => {
        for (let i = 0; moving || i < 5; i++) {
          const res = await stack.app.inject({
            method: 'POST',
            url: '/api/people',
            headers: church.as('staff'),
            payload: { firstName: `Writer${n}`, lastName: `Row${i}` },
          });
          if (res.statusCode === 201) {
            acknowledged.push(res.json().data.id);
            if (moving) duringMove++;
          } else if (res.statusCode === 503 && Number(res.headers['retry-after']) >= 1) refused++;
          else other ||= `${res.statusCode} ${res.body}`;
        }
      };
      const writers = [writer(1), writer(2)];
      const moved = await stack.app.inject({
        method: 'POST',
        url: `/api/ops/tenants/${church.slug}/move`,
        headers: { authorization: `Bearer ${OPS_TOKEN}` },
        payload: { to: serverId },
      });
      moving = false;
      await Promise.all(writers);
      expect(moved.statusCode, moved.body).toBe(200);
      const result = moved.json().data;
      expect(result).toMatchObject({ moved: true, to: serverId, move: { step: 'switched' } });
      expect(other).toBe('');
      expect(duringMove).toBeGreaterThan(0);

      const place = await stack.services.deps.catalog
        .selectFrom('tenants')
        .select('server_id')
        .where('id', '=', church.id)
        .executeTakeFirstOrThrow();
      expect(place.server_id).toBe(serverId);
      const onTarget = await stack.services.deps.tenants.withTenant(church.id, (db) =>
        db.selectFrom('people').select('id').where('first_name', 'like', 'Writer%').execute(),
      );
      expect(new Set(onTarget.map((r) => r.id))).toEqual(new Set(acknowledged));
      console.log(
        `moved ${result.move.rowsCopied} rows with ${acknowledged.length} writes acknowledged (${duringMove} during the move), ` +
          `${refused} refused; writes paused ${result.writePauseMs} ms of ${result.durationMs} ms`,
      );
    });
  });
}
