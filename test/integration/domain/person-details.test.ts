import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../helpers/dialects.js';
import { createDomainStack, type DomainStack } from './domain-stack.js';

describe.each(DIALECTS)('custom person fields and person details on %s', (dialect) => {
  let h: DomainStack;
  beforeAll(async () => {
    h = await createDomainStack(dialect);
  });
  afterAll(() => h.close());

  const api = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
    role = 'admin' as const,
  ) => h.app.inject({ method, url: `/api${url}`, payload, headers: h.as('a', role) });

  it('admins define fields; values go through the people API, are checked, filtered, audited and exported', async () => {
    const defs = [
      { key: 'baptized_on', label: 'Baptism date', type: 'date' },
      { key: 'shirt_size', label: 'Shirt size', type: 'choice', choices: ['S', 'M', 'L'] },
      { key: 'volunteer', label: 'Volunteer', type: 'yes_no' },
      { key: 'envelope', label: 'Envelope number', type: 'number' },
      { key: 'campus', label: 'Campus', type: 'text' },
    ];
    for (const d of defs) expect((await api('POST', '/custom-fields', d)).statusCode).toBe(201);
    expect((await api('POST', '/custom-fields', defs[0])).statusCode).toBe(409);
    const staffTry = await h.app.inject({
      method: 'POST',
      url: '/api/custom-fields',
      payload: { key: 'x', label: 'X', type: 'text' },
      headers: h.as('a', 'staff'),
    });
    expect(staffTry.statusCode).toBe(403);
    const noChoices = await api('POST', '/custom-fields', { key: 'c', label: 'C', type: 'choice' });
    expect(noChoices.statusCode).toBe(400);
    const listed = (await api('GET', '/custom-fields')).json().data;
    expect(listed.map((f: { key: string }) => f.key)).toEqual(defs.map((d) => d.key));

    const created = await api('POST', '/people', {
      firstName: 'Ana',
      lastName: 'Diaz',
      customFields: {
        baptized_on: '2001-04-15',
        shirt_size: 'm',
        volunteer: true,
        envelope: 42,
        campus: 'North',
      },
    });
    expect(created.statusCode).toBe(201);
    const ana = created.json().data;
    expect(ana.customFields).toEqual({
      baptized_on: '2001-04-15',
      shirt_size: 'M',
      volunteer: true,
      envelope: 42,
      campus: 'North',
    });
    await api('POST', '/people', { firstName: 'Bo', lastName: 'Lee', customFields: { volunteer: false } });

    // Bad values: one 400 naming every offending field, and nothing changes.
    const bad = await api('PATCH', `/people/${ana.id}`, {
      customFields: { baptized_on: '2001-02-30', shirt_size: 'XXL', envelope: 'forty', nope: 1 },
    });
    expect(bad.statusCode).toBe(400);
    const paths = bad
      .json()
      .errors.map((e: { path: string }) => e.path)
      .sort();
    expect(paths).toEqual([
      '/body/customFields/baptized_on',
      '/body/customFields/envelope',
      '/body/customFields/nope',
      '/body/customFields/shirt_size',
    ]);
    expect((await api('GET', `/people/${ana.id}`)).json().data.customFields.shirt_size).toBe('M');

    const patched = await api('PATCH', `/people/${ana.id}`, { customFields: { campus: null, envelope: 7 } });
    expect(patched.json().data.customFields).toMatchObject({ envelope: 7 });
    expect(patched.json().data.customFields.campus).toBeUndefined();

    const filter = async (...f: string[]) =>
      (await api('GET', `/people?${f.map((x) => `field=${encodeURIComponent(x)}`).join('&')}`))
        .json()
        .data.map((p: { firstName: string }) => p.firstName);
    expect(await filter('volunteer:true')).toEqual(['Ana']);
    expect(await filter('volunteer:false')).toEqual(['Bo']);
    expect(await filter('shirt_size:m', 'envelope:7')).toEqual(['Ana']);
    expect(await filter('envelope:8')).toEqual([]);
    expect((await api('GET', '/people?field=nope:1')).statusCode).toBe(400);

    const audit = await h.dbA
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'person')
      .where('entity_id', '=', ana.id)
      .where('action', '=', 'update')
      .execute();
    expect(audit.some((a) => a.changes.includes('"envelope":7'))).toBe(true);

    // A choice still held cannot be removed; deleting a field drops its values.
    const shirt = listed.find((f: { key: string }) => f.key === 'shirt_size');
    expect((await api('PATCH', `/custom-fields/${shirt.id}`, { choices: ['S', 'L'] })).statusCode).toBe(409);
    expect(
      (
        await api('PATCH', `/custom-fields/${shirt.id}`, { label: 'T-shirt', choices: ['S', 'M', 'L', 'XL'] })
      ).json().data,
    ).toMatchObject({ label: 'T-shirt' });
    expect((await api('GET', `/custom-fields/${shirt.id}`)).json().data.choices).toHaveLength(4);

    const exported = (await api('GET', '/church/export')).json().data.tables;
    expect(exported.custom_fields).toHaveLength(5);
    expect(exported.person_field_values.length).toBeGreaterThanOrEqual(5);

    expect((await api('DELETE', `/custom-fields/${shirt.id}`)).statusCode).toBe(204);
    expect((await api('GET', `/people/${ana.id}`)).json().data.customFields.shirt_size).toBeUndefined();
    // Church B sees none of church A's fields.
    const other = await h.app.inject({ method: 'GET', url: '/api/custom-fields', headers: h.as('b') });
    expect(other.json().data).toEqual([]);
  });

  it('keeps middle name, suffix, year-less birthdays, several emails and phones, external ids and household role', async () => {
    const hh = (await api('POST', '/households', { name: 'Diaz family', city: 'Springfield' })).json().data;
    const body = {
      firstName: 'Luis',
      middleName: 'Alberto',
      lastName: 'Diaz',
      suffix: 'Jr.',
      preferredName: 'Lucho',
      gender: 'Male',
      birthDate: '--05-17',
      email: 'luis@diaz.example',
      otherEmails: [{ address: 'luis@work.example', label: 'work' }],
      otherPhones: [
        { number: '555-0101', label: 'mobile' },
        { number: '555-0102', label: 'work' },
      ],
      externalIds: [{ source: 'planning-center', id: '1001' }],
      householdId: hh.id,
      householdRole: 'spouse',
    };
    const res = await api('POST', '/people', body);
    expect(res.statusCode).toBe(201);
    const luis = res.json().data;
    expect(luis).toMatchObject({ ...body });
    expect((await api('GET', `/people/${luis.id}`)).json().data).toMatchObject(body);

    const role = await api('PATCH', `/people/${luis.id}`, { householdRole: 'head', birthDate: '1978-05-17' });
    expect(role.json().data).toMatchObject({
      householdRole: 'head',
      birthDate: '1978-05-17',
      householdId: hh.id,
    });
    expect((await api('PATCH', `/people/${luis.id}`, { birthDate: '--02-30' })).statusCode).toBe(400);
    expect((await api('PATCH', `/people/${luis.id}`, { birthDate: '--02-29' })).statusCode).toBe(200);

    const dup = await api('POST', '/people', {
      firstName: 'X',
      lastName: 'Y',
      externalIds: [{ source: 'planning-center', id: '1001' }],
    });
    expect(dup.statusCode).toBe(409);
    const members = (await api('GET', `/households/${hh.id}/members`)).json().data;
    expect(members).toEqual([expect.objectContaining({ personId: luis.id, role: 'head' })]);
    expect((await api('DELETE', `/people/${luis.id}`)).statusCode).toBe(204);
    expect(
      await h.dbA.selectFrom('external_ids').selectAll().where('target_id', '=', luis.id).execute(),
    ).toEqual([]);
  });
});
