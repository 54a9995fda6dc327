import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../helpers/dialects.js';
import type { Role } from '../../../src/auth/roles.js';
import { createDomainStack, type DomainStack } from './domain-stack.js';

const HEADER = 'firstName,lastName,email,phone,birthDate,membershipStatus,household';

describe.each(DIALECTS)('people CSV import on %s', (dialect) => {
  let h: DomainStack;
  const upload = (csv: string, query = '', role: Role = 'staff') =>
    h.app.inject({
      method: 'POST',
      url: `/api/imports/people${query}`,
      payload: csv,
      headers: { 'content-type': 'text/csv', ...h.as('a', role) },
    });
  const countPeople = async () => (await h.dbA.selectFrom('people').select('id').execute()).length;
  beforeAll(async () => {
    h = await createDomainStack(dialect);
  });
  afterAll(() => h.close());

  const file = [
    HEADER,
    'Ana,Diaz,ana@grace.example,555-0100,1980-02-03,member,Diaz family',
    'Luis,Diaz,,555-0101,1979-07-08,member,Diaz family',
    'Kim,Lee,KIM@lee.example,,,visitor,',
  ].join('\n');

  it('dry run reports without writing; a bad row rejects the whole file', async () => {
    const dry = await upload(file, '?dryRun=true');
    expect(dry.statusCode).toBe(200);
    expect(dry.json().data).toMatchObject({ dryRun: true, created: 3, updated: 0, unchanged: 0 });
    expect(await countPeople()).toBe(0);
    expect(await h.dbA.selectFrom('households').select('id').execute()).toEqual([]);

    const bad = await upload(`${file}\nZed,,not-an-email,,1990-02-30,vip,`);
    expect(bad.statusCode).toBe(422);
    const body = bad.json();
    expect(body.code).toBe('UNPROCESSABLE');
    expect(body.rows).toHaveLength(4);
    expect(body.rows[3]).toMatchObject({ row: 5, status: 'error' });
    expect(body.rows[3].errors).toHaveLength(4);
    expect(body.rows[0]).toMatchObject({ row: 2, status: 'ok' });
    const dup = await upload(`${file}\nAna,Diaz,ANA@grace.example,,,,`);
    expect(dup.statusCode).toBe(422);
    expect(dup.json().rows[3].errors).toEqual(['duplicates row 2']);
    expect((await upload('firstName,lastName,isAdmin\nA,B,1')).statusCode).toBe(422);
    expect(await countPeople()).toBe(0);
    expect((await upload(file, '', 'viewer')).statusCode).toBe(403);
  });

  it('imports, then re-importing the same file changes nothing; edits update', async () => {
    const first = await upload(file);
    expect(first.statusCode).toBe(200);
    expect(first.json().data).toMatchObject({ created: 3, updated: 0, unchanged: 0 });
    const hh = await h.dbA.selectFrom('households').selectAll().execute();
    expect(hh.map((x) => x.name)).toEqual(['Diaz family']);
    expect(await h.dbA.selectFrom('household_members').select('person_id').execute()).toHaveLength(2);
    const auditCount = (await h.dbA.selectFrom('audit_log').select('id').execute()).length;
    expect(auditCount).toBe(5); // 3 people, 1 household, 1 import summary

    const again = await upload(file);
    expect(again.json().data).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    expect(await countPeople()).toBe(3);
    expect((await h.dbA.selectFrom('audit_log').select('id').execute()).length).toBe(auditCount);

    const edited = file.replace('555-0101', '555-0199').replace('visitor', 'regular');
    const third = await upload(edited);
    expect(third.json().data).toMatchObject({ created: 0, updated: 2, unchanged: 1 });
    const luis = await h.dbA
      .selectFrom('people')
      .selectAll()
      .where('first_name', '=', 'Luis')
      .executeTakeFirstOrThrow();
    expect(luis.phone).toBe('555-0199');
  });

  it('imports 5,000 rows in one transaction', async () => {
    const lines = [HEADER];
    for (let i = 0; i < 5000; i++)
      lines.push(`P${i},Bulk${i % 97},bulk${i}@example.org,,,member,House ${i % 400}`);
    const res = await upload(lines.join('\n'));
    expect(res.statusCode).toBe(200);
    expect(res.json().data.created).toBe(5000);
    expect(await countPeople()).toBe(5003);
    const again = await upload(lines.join('\n'));
    expect(again.json().data.unchanged).toBe(5000);
  });

  it('refuses JSON (even a JSON string of a CSV file) and bodies over 5 MiB', async () => {
    for (const payload of [{ a: 1 }, JSON.stringify(`${HEADER}\nAda,Lovelace`)]) {
      const json = await h.app.inject({
        method: 'POST',
        url: '/api/imports/people',
        payload,
        headers: { ...h.as(), 'content-type': 'application/json' },
      });
      expect(json.statusCode).toBe(415);
      expect(json.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    const big = `${HEADER}\n${'x'.repeat(5 * 1024 * 1024)}`;
    expect((await upload(big)).statusCode).toBe(413);
  });
});
