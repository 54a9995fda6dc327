import { readFileSync } from 'node:fs';
import { v7 as uuidv7 } from 'uuid';
import writeXlsxFile from 'write-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../src/auth/roles.js';
import * as importsRepo from '../../../src/domain/imports/imports.repository.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { createDomainStack, type DomainStack } from './domain-stack.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/imports/${name}`, import.meta.url));
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Breeze's people export layout, written as the XLSX Breeze gives (a birthday as a real date cell). */
async function breezeXlsx() {
  const header = [
    'Breeze ID',
    'First Name',
    'Last Name',
    'Middle Name',
    'Nickname',
    'Maiden Name',
    'Gender',
    'Status',
    'Marital Status',
    'Birthdate',
    'Age',
    'Family',
    'Family Role',
    'School',
    'Grade',
    'Employer',
    'Mobile',
    'Home',
    'Work',
    'Email',
    'Street Address',
    'City',
    'State',
    'Zip',
    'Added Date',
    'Volunteer',
  ];
  const rows: Array<Array<string | Date>> = [
    [
      '31415',
      'Grace',
      'Kim',
      '',
      'Gracie',
      'Park',
      'Female',
      'Member',
      'Married',
      new Date(Date.UTC(1982, 0, 9)),
      '43',
      'Kim',
      'Head of Household',
      '',
      '',
      'Acme',
      '(555) 410-0001',
      '(555) 410-0000',
      '',
      'grace@kim.example',
      '77 Birch Way',
      'Austin',
      'TX',
      '78701',
      '1/2/2020',
      'Yes',
    ],
    [
      '31416',
      'Daniel',
      'Kim',
      'J',
      '',
      '',
      'Male',
      'Member',
      'Married',
      '4/30/1980',
      '45',
      'Kim',
      'Spouse',
      '',
      '',
      '',
      '(555) 410-0002',
      '(555) 410-0000',
      '',
      'grace@kim.example',
      '77 Birch Way',
      'Austin',
      'TX',
      '78701',
      '1/2/2020',
      'No',
    ],
    [
      '31417',
      'Hana',
      'Kim',
      '',
      '',
      '',
      'Female',
      'Regular Attender',
      'Single',
      '12/25',
      '',
      'Kim',
      'Child',
      'Oak Elementary',
      '3',
      '',
      '',
      '(555) 410-0000',
      '',
      '',
      '77 Birch Way',
      'Austin',
      'TX',
      '78701',
      '1/2/2020',
      '',
    ],
    [
      '31418',
      'Omar',
      'Farouk',
      '',
      '',
      '',
      'Male',
      'Guest',
      '',
      '',
      '',
      'Farouk',
      'Head of Household',
      '',
      '',
      '',
      '(555) 410-0100',
      '',
      '',
      'omar@farouk.example',
      '5 Main St',
      'Austin',
      'TX',
      '78702',
      '3/8/2024',
      'Yes',
    ],
  ];
  return writeXlsxFile(
    [header, ...rows].map((r) =>
      r.map((value) => (value instanceof Date ? { value, format: 'mm/dd/yyyy' } : { value })),
    ),
  ).toBuffer();
}

describe.each(DIALECTS)('people import on %s', (dialect) => {
  let h: DomainStack;
  const upload = (file: string | Buffer, query = '', role: Role = 'staff', type = 'text/csv') =>
    h.app.inject({
      method: 'POST',
      url: `/api/imports/people${query}`,
      payload: file,
      headers: { 'content-type': type, ...h.as('a', role) },
    });
  const count = async (table: 'people' | 'households' | 'audit_log') =>
    (await h.dbA.selectFrom(table).select('id').execute()).length;
  const person = (first: string, last: string) =>
    h.app
      .inject({
        method: 'GET',
        url: `/api/people?q=${encodeURIComponent(`${first} ${last}`)}`,
        headers: h.as(),
      })
      .then((r) => r.json().data.find((p: { firstName: string }) => p.firstName === first));
  const household = (id: string) =>
    h.app.inject({ method: 'GET', url: `/api/households/${id}`, headers: h.as() }).then((r) => r.json().data);

  beforeAll(async () => {
    h = await createDomainStack(dialect);
    for (const f of [
      { key: 'baptism_date', label: 'Baptism date', type: 'date' },
      { key: 'shirt', label: 'T-Shirt Size', type: 'choice', choices: ['S', 'M', 'L', 'XL'] },
      { key: 'volunteer', label: 'Volunteer', type: 'yes_no' },
    ]) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/custom-fields',
        payload: f,
        headers: h.as(),
      });
      expect(res.statusCode).toBe(201);
    }
  });
  afterAll(() => h.close());

  it('imports a Planning Center People export: every row, households with roles and address, custom fields', async () => {
    const file = fixture('planning-center-people.csv');
    const dry = await upload(file, '?dryRun=true');
    expect(dry.statusCode).toBe(200);
    const preview = dry.json().data;
    expect(preview).toMatchObject({
      preset: 'planning-center',
      rows: 6,
      created: 6,
      updated: 0,
      errorCount: 0,
    });
    expect(preview.households).toEqual({ created: 3, updated: 0 });
    expect(preview.ignoredColumns).toEqual(
      expect.arrayContaining(['Name Prefix', 'Given Name', 'Anniversary', 'Grade', 'School', 'Created At']),
    );
    expect(preview.columns).toContainEqual({ column: 'Baptism Date', field: 'custom.baptism_date' });
    expect(await count('people')).toBe(0);

    const real = await upload(file);
    expect(real.statusCode).toBe(200);
    const report = real.json().data;
    // The dry run said exactly what the real run did.
    expect({ ...report, dryRun: true, results: undefined }).toEqual({ ...preview, results: undefined });
    expect(report.results.map((r: { action: string }) => r.action)).toEqual(Array(6).fill('created'));
    // The ids planned while checking the file are the ids written.
    const ids = (await h.dbA.selectFrom('people').select('id').execute()).map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining(report.results.map((r: { id: string }) => r.id)));

    const bob = await person('Bob', 'Okafor');
    expect(bob).toMatchObject({
      middleName: 'James',
      suffix: 'Jr.',
      preferredName: 'Bobby',
      gender: 'M',
      birthDate: '1978-03-14',
      email: 'bob@okafor.example',
      phone: '555-0101',
      otherEmails: [{ address: 'bob@work.example', label: 'work' }],
      otherPhones: [{ number: '555-0100', label: 'home' }],
      membershipStatus: 'member',
      householdRole: 'head',
      externalIds: [{ source: 'planning-center', id: '1001' }],
      customFields: { baptism_date: '2001-04-15', shirt: 'L' },
    });
    const ada = await person('Ada', 'Okafor');
    // Shared email inside the household; 1885 is Planning Center's "no year".
    expect(ada).toMatchObject({ email: 'bob@okafor.example', birthDate: '--05-17', householdRole: 'spouse' });
    expect(ada.householdId).toBe(bob.householdId);
    expect(await person('Chidi', 'Okafor')).toMatchObject({
      birthDate: '2010-09-03',
      householdRole: 'child',
      membershipStatus: 'regular',
    });
    expect(await person('Maria', 'Gomez')).toMatchObject({ membershipStatus: 'inactive', phone: '555-0201' });
    expect(await person('Lena', 'Nguyen')).toMatchObject({
      birthDate: '--07-04',
      membershipStatus: 'visitor',
    });
    expect(await household(bob.householdId)).toMatchObject({
      name: 'Okafor Household',
      addressLine1: '12 Elm St',
      city: 'Springfield',
      region: 'IL',
      postalCode: '62701',
    });

    const audits = await count('audit_log');
    const again = await upload(file);
    expect(again.json().data).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 6,
      households: { created: 0, updated: 0 },
    });
    expect(again.json().data.results.every((r: { matchedBy: string }) => r.matchedBy === 'external-id')).toBe(
      true,
    );
    expect(await count('audit_log')).toBe(audits);

    // An edit in the source updates only that person, found by its external id.
    const edited = file.toString().replace('555-0302', '555-0399').replace('Lena,Lena', 'Lena,Helena');
    const third = (await upload(edited)).json().data;
    expect(third).toMatchObject({ created: 0, updated: 1, unchanged: 5 });
    expect(await person('Helena', 'Nguyen')).toMatchObject({ phone: '555-0399' });
  });

  it('imports a Breeze XLSX export: households by family name and address, date cells, roles, yes/no custom field', async () => {
    const file = await breezeXlsx();
    const res = await upload(file, '', 'staff', XLSX);
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({
      preset: 'breeze',
      format: 'xlsx',
      created: 4,
      households: { created: 2 },
    });
    const grace = await person('Grace', 'Kim');
    expect(grace).toMatchObject({
      preferredName: 'Gracie',
      birthDate: '1982-01-09',
      householdRole: 'head',
      phone: '(555) 410-0001',
      otherPhones: [{ number: '(555) 410-0000', label: 'home' }],
      customFields: { volunteer: true },
      externalIds: [{ source: 'breeze', id: '31415' }],
    });
    const daniel = await person('Daniel', 'Kim');
    expect(daniel).toMatchObject({
      householdRole: 'spouse',
      email: 'grace@kim.example',
      customFields: { volunteer: false },
    });
    expect(daniel.householdId).toBe(grace.householdId);
    expect(await person('Hana', 'Kim')).toMatchObject({ birthDate: '--12-25', householdRole: 'child' });
    expect(await household(grace.householdId)).toMatchObject({
      name: 'Kim',
      addressLine1: '77 Birch Way',
      postalCode: '78701',
    });
    const again = await upload(file, '', 'staff', XLSX);
    expect(again.json().data).toMatchObject({ created: 0, updated: 0, unchanged: 4 });
  });

  it('imports a ChurchCRM export (BOM, CRLF, quotes, semicolons): households by family id, gender, unpadded dates', async () => {
    const file = fixture('churchcrm-people.csv');
    const res = await upload(file);
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ preset: 'churchcrm', created: 4, households: { created: 2 } });
    const samir = await person('Samir', 'Haddad');
    expect(samir).toMatchObject({
      birthDate: '1971-02-08',
      gender: 'Male',
      externalIds: [{ source: 'churchcrm', id: '17' }],
      householdRole: 'head',
      membershipStatus: 'member',
      phone: '937-555-0110',
      customFields: { baptism_date: '1990-06-03' },
    });
    const rana = await person('Rana', 'Haddad');
    expect(rana).toMatchObject({ householdRole: 'spouse', email: 'samir@haddad.example' });
    expect(rana.householdId).toBe(samir.householdId);
    expect(await person('Yusuf', 'Haddad')).toMatchObject({
      middleName: 'Karim',
      birthDate: '2012-01-30',
      householdRole: 'child',
    });
    const siobhan = await person('Siobhan', "O'Brien");
    expect(siobhan).toMatchObject({ birthDate: '--03-17', membershipStatus: 'visitor' });
    expect(await household(siobhan.householdId)).toMatchObject({
      addressLine1: '88 Lake Rd, Unit 4',
      city: 'Kettering',
    });
    expect((await upload(file)).json().data).toMatchObject({ created: 0, updated: 0, unchanged: 4 });
  });

  it('reports every bad row with its column; abort writes nothing, skip lands the good rows', async () => {
    const before = await count('people');
    const file = [
      'First Name,Last Name,Email,Birth Date,Membership Status,Shoe Size,Volunteer',
      'Ann,Ames,ann@ames.example,1990-02-03,Member,9,yes',
      ',Bell,not-an-email,1990-02-30,VIP,10,maybe',
      'Cy,Cole,,31/12/1999,Friend,,',
      'Ann,Ames,ann@ames.example,,,,',
    ].join('\n');
    const res = await upload(file);
    expect(res.statusCode).toBe(422);
    const report = res.json().report;
    expect(report.ignoredColumns).toEqual(['Shoe Size']);
    const errs = report.errors.map((e: { row: number; column: string | null; message: string }) => [
      e.row,
      e.column,
      e.message,
    ]);
    expect(errs).toEqual(
      expect.arrayContaining([
        [3, 'First Name', 'a first name is required'],
        [3, 'Email', '"not-an-email" is not an email address'],
        [3, 'Birth Date', expect.stringContaining('"1990-02-30" is not a date')],
        [3, 'Membership Status', expect.stringContaining('"VIP"')],
        [3, 'Volunteer', '"maybe" is not yes or no'],
        [4, 'Birth Date', expect.stringContaining('31/12/1999')],
        [4, 'Membership Status', expect.stringContaining('"Friend"')],
        [5, null, 'duplicates row 2'],
      ]),
    );
    expect(await count('people')).toBe(before);
    // Nothing was created, so the rejected report names no ids for the rows it would create.
    expect(report.results).toContainEqual({ row: 2, action: 'created', id: null, matchedBy: null });

    // The request states the date order and maps the unknown word; skip lands the good rows.
    const skip = await upload(
      file,
      '?onError=skip&dateOrder=dmy&status=Friend=visitor&map=Shoe%20Size=ignore',
    );
    expect(skip.statusCode).toBe(200);
    expect(skip.json().data).toMatchObject({ created: 2, skipped: 2, errorCount: 6 });
    expect(await person('Cy', 'Cole')).toMatchObject({
      birthDate: '1999-12-31',
      membershipStatus: 'visitor',
    });
    expect(await count('people')).toBe(before + 2);
  });

  it('holds names to the API text rule: a bidirectional override is a row error naming its column', async () => {
    const before = await count('people');
    const NAME_RULE = 'must not be blank or contain control characters or bidirectional overrides';
    const file = [
      'First Name,Last Name,Household Name,Notes',
      'Ana\u202Egnp.exe,Diaz,,',
      'Ben,Bell\u2066x\u2069,,',
      'Cy,Cole,Cole\u202Dhome,',
      'Dee,Dunn,,"free text keeps\ta tab\nand a line break"',
    ].join('\n');
    const abort = await upload(file);
    expect(abort.statusCode).toBe(422);
    const rowErrors = (report: { errors: Array<{ row: number; column: string; message: string }> }) =>
      report.errors.map((e) => [e.row, e.column, e.message]);
    const refused = [
      [2, 'First Name', NAME_RULE],
      [3, 'Last Name', NAME_RULE],
      [4, 'Household Name', NAME_RULE],
    ];
    expect(rowErrors(abort.json().report)).toEqual(refused);
    expect(await count('people')).toBe(before);

    const skip = await upload(file, '?onError=skip');
    expect(skip.statusCode).toBe(200);
    const report = skip.json().data;
    expect(rowErrors(report)).toEqual(refused);
    expect(report).toMatchObject({ created: 1, skipped: 3 });
    expect(report.results.map((r: { row: number; action: string }) => [r.row, r.action])).toEqual([
      [2, 'skipped'],
      [3, 'skipped'],
      [4, 'skipped'],
      [5, 'created'],
    ]);
    expect(await count('people')).toBe(before + 1);
    expect(await person('Dee', 'Dunn')).toMatchObject({ notes: 'free text keeps\ta tab\nand a line break' });
  });

  it('maps columns the request names onto fields and custom fields; bad mappings are 400', async () => {
    const file = 'Given,Family,Shirt,Note\nIvy,Irwin,m,likes tea\n';
    const res = await upload(
      file,
      `?map=${encodeURIComponent('Given=firstName')}&map=Family=lastName&map=Shirt=custom.shirt`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().data.ignoredColumns).toEqual(['Note']);
    expect(await person('Ivy', 'Irwin')).toMatchObject({ customFields: { shirt: 'M' } });
    expect((await upload(file, '?map=Given=nonsense')).statusCode).toBe(400);
    expect((await upload(file, '?map=Missing=firstName')).statusCode).toBe(400);
    expect((await upload(file)).statusCode).toBe(422); // no first name column
    expect((await upload(file, '', 'viewer')).statusCode).toBe(403);
  });

  it('runs a big file as a background job with progress and a status endpoint', async () => {
    const lines = ['firstName,lastName,email,household'];
    for (let i = 0; i < 3000; i++) lines.push(`P${i},Bulk${i % 97},bulk${i}@example.org,House ${i % 400}`);
    const res = await upload(lines.join('\n'), '?background=true');
    expect(res.statusCode).toBe(202);
    const job = res.json().data;
    expect(res.headers.location).toBe(`/api/imports/${job.id}`);
    expect(job).toMatchObject({ status: 'queued', kind: 'people' });
    // The file waits in its own row (progress writes never copy it) and is dropped at the end.
    const stored = () =>
      h.dbA.selectFrom('import_file_parts').select('part').where('import_id', '=', job.id).execute();
    expect(await stored()).toHaveLength(1);
    let status = job;
    for (let i = 0; i < 300 && !['done', 'failed'].includes(status.status); i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (
        await h.app.inject({ method: 'GET', url: `/api/imports/${job.id}`, headers: h.as('a', 'staff') })
      ).json().data;
    }
    expect(status).toMatchObject({
      status: 'done',
      rowsDone: 3000,
      report: { created: 3000, households: { created: 400 } },
    });
    expect(await stored()).toHaveLength(0);
    const other = await h.app.inject({ method: 'GET', url: `/api/imports/${job.id}`, headers: h.as('b') });
    expect(other.statusCode).toBe(404);
  });

  it('stores a file in parts and reads back the same bytes; the run drops every part', async () => {
    // Every byte value, more than two parts' worth, not a multiple of 3 long.
    const file = Buffer.alloc(importsRepo.FILE_PART_BYTES * 2 + 1001);
    for (let i = 0; i < file.length; i++) file[i] = (i * 7 + (i >> 9)) & 0xff;
    const at = new Date().toISOString();
    const id = uuidv7();
    const row = {
      id,
      kind: 'people' as const,
      status: 'queued' as const,
      dry_run: 1,
      options: '{}',
      phase: null,
      rows_done: 0,
      report: null,
      problem: null,
      created_by: null,
      created_at: at,
      updated_at: at,
      finished_at: null,
    };
    await importsRepo.insertImport(h.dbA, row, file);
    const parts = await h.dbA
      .selectFrom('import_file_parts')
      .select('part')
      .where('import_id', '=', id)
      .orderBy('part')
      .execute();
    expect(parts.map((p) => p.part)).toEqual([0, 1, 2]);
    const claimed = await importsRepo.claimImport(h.dbA, id, at);
    expect(claimed?.file.equals(file)).toBe(true);
    await importsRepo.finishImport(h.dbA, id, { status: 'failed', finished_at: at });
    // A file stored whole by the previous layout (migration 0326 made it the only part) reads back too.
    const whole = { ...row, id: uuidv7() };
    await h.dbA.insertInto('imports').values(whole).execute();
    await h.dbA
      .insertInto('import_file_parts')
      .values({ import_id: whole.id, part: 0, data: file.toString('base64') })
      .execute();
    expect((await importsRepo.claimImport(h.dbA, whole.id, at))?.file.equals(file)).toBe(true);
    expect(
      await h.dbA.selectFrom('import_file_parts').select('part').where('import_id', '=', id).execute(),
    ).toEqual([]);
  });

  it('refuses JSON and bodies over the limit', async () => {
    const json = await h.app.inject({
      method: 'POST',
      url: '/api/imports/people',
      payload: { a: 1 },
      headers: { ...h.as(), 'content-type': 'application/json' },
    });
    expect(json.statusCode).toBe(415);
    // No body at all: the file schema accepts only the bytes of one.
    const empty = await h.app.inject({ method: 'POST', url: '/api/imports/people', headers: h.as() });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await upload(`firstName,lastName\n${'x'.repeat(33 * 1024 * 1024)}`)).statusCode).toBe(413);
  });
});
