import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { formatMoney } from '../../../src/domain/giving/statement-html.js';
import { createTestStack, type TestStack } from '../../helpers/app.js';
import { DIALECTS } from '../../helpers/dialects.js';
import { pdfText } from '../../helpers/pdf-text.js';
import { waitUntil } from '../../helpers/http-api.js';
import type { TestChurch } from '../../helpers/session.js';
import { startSmtpSink } from '../../helpers/smtp-sink.js';
import { createGivingChurch } from '../giving/giving-church.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies of the API, read loosely by the test
type Json = Record<string, any>;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(dialect: (typeof DIALECTS)[number]) {
  const sink = await startSmtpSink();
  cleanups.push(() => sink.close());
  const stack = await createTestStack(dialect, {
    SMTP_URL: sink.url,
    STATEMENT_RECEIPT_TEXT: 'Grace Chapel is a registered charity, number 12345.',
  });
  cleanups.push(() => stack.close());
  const church = await createGivingChurch(stack, dialect, 'Grace Chapel');
  cleanups.push(() => church.drop());
  const call = async (
    method: string,
    url: string,
    payload?: unknown,
    role: 'admin' | 'finance' = 'finance',
  ) => {
    const res = await stack.app.inject({
      method: method as 'GET',
      url,
      headers: church.as(role),
      ...(payload === undefined ? {} : { payload: payload as Json }),
    });
    return res;
  };
  const data = async (
    method: string,
    url: string,
    payload?: unknown,
    role: 'admin' | 'finance' = 'finance',
  ) => {
    const res = await call(method, url, payload, role);
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json().data as Json;
  };
  return { sink, stack, church, call, data };
}

/** Three donors in 2025: one with an email, one without, one with an unusable address. */
async function seedGiving(s: Awaited<ReturnType<typeof setup>>, church: TestChurch, stack: TestStack) {
  const { data } = s;
  await data(
    'PATCH',
    '/api/church',
    { addressLine1: '1 Chapel Road', city: 'Springfield', region: 'IL', postalCode: '62701' },
    'admin',
  );
  const ana = await data(
    'POST',
    '/api/people',
    { firstName: 'Ana', lastName: 'Diaz', email: 'ana@example.org' },
    'admin',
  );
  const ben = await data('POST', '/api/people', { firstName: 'Ben', lastName: 'Okafor' }, 'admin');
  const cy = await data('POST', '/api/people', { firstName: 'Cy', lastName: 'Young' }, 'admin');
  await stack.services.deps.tenants.withTenant(church.id, (db) =>
    db.updateTable('people').set({ email: 'not-an-address' }).where('id', '=', cy.id).execute(),
  );
  const general = await data('POST', '/api/funds', { name: 'General' });
  const building = await data('POST', '/api/funds', { name: 'Building', taxDeductible: false });
  const missions = await data('POST', '/api/funds', { name: 'Missions' });
  const committed = await data('POST', '/api/batches', { name: 'Sundays', date: '2025-03-02' });
  const open = await data('POST', '/api/batches', { name: 'December', date: '2025-12-28' });
  const gift = (personId: string, batchId: string, receivedOn: string, splits: Array<[Json, number]>) =>
    data('POST', '/api/donations', {
      personId,
      batchId,
      receivedOn,
      method: 'check',
      checkNumber: '100',
      splits: splits.map(([f, amountCents]) => ({ fundId: f.id, amountCents })),
    });
  await gift(ana.id, committed.id, '2025-03-02', [
    [general, 5000],
    [missions, 2500],
  ]);
  await gift(ana.id, committed.id, '2025-06-01', [
    [general, 1234],
    [building, 9999],
  ]);
  await gift(ben.id, committed.id, '2025-04-06', [[missions, 10000]]);
  await gift(cy.id, committed.id, '2025-05-04', [[general, 700]]);
  await gift(ana.id, committed.id, '2024-12-29', [[general, 111]]);
  await data('POST', `/api/batches/${committed.id}/commit`);
  await gift(ana.id, open.id, '2025-12-28', [[general, 4000]]);
  return { ana, ben, cy };
}

describe.each(DIALECTS)('year-end statements (%s)', (dialect) => {
  it('a ZIP of PDFs whose totals equal the giving API, the same bytes every time, and the print list', async () => {
    const s = await setup(dialect);
    const { church, stack, call } = s;
    const people = await seedGiving(s, church, stack);

    const summary = await call('GET', '/api/giving/year-end/2025');
    expect(summary.statusCode).toBe(200);
    expect(summary.json().data).toMatchObject({
      year: 2025,
      currency: 'USD',
      receiptText: 'Grace Chapel is a registered charity, number 12345.',
      gifts: 4,
      totalCents: 5000 + 2500 + 1234 + 10000 + 700,
      uncommittedGifts: 1,
      donors: 3,
      withEmail: 1,
    });
    expect(summary.json().data.withoutEmail.map((d: Json) => [d.name, d.email])).toEqual([
      ['Ben Okafor', null],
      ['Cy Young', 'not-an-address'],
    ]);

    const zip = await call('GET', '/api/giving/year-end/2025/statements.zip');
    expect(zip.statusCode).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    expect(zip.headers['content-disposition']).toBe('attachment; filename="giving-statements-2025.zip"');
    const files = unzipSync(new Uint8Array(zip.rawPayload));
    const names = Object.keys(files);
    expect(names).toEqual([
      `2025/Ana-Diaz-${people.ana.id.slice(-12)}.pdf`,
      `2025/Ben-Okafor-${people.ben.id.slice(-12)}.pdf`,
      `2025/Cy-Young-${people.cy.id.slice(-12)}.pdf`,
    ]);
    for (const [name, person] of [
      [names[0]!, people.ana],
      [names[1]!, people.ben],
      [names[2]!, people.cy],
    ] as const) {
      const api = await call('GET', `/api/people/${person.id}/giving-statement?year=2025`);
      const statement = api.json().data;
      const text = await pdfText(files[name]!);
      expect(text).toContain('Grace Chapel');
      expect(text).toContain('1 Chapel Road');
      expect(text).toContain(`${person.firstName} ${person.lastName}`);
      expect(text).toContain(
        `Total tax-deductible contributions ${formatMoney(statement.totalCents, 'USD')}`,
      );
      for (const f of statement.byFund)
        expect(text).toContain(`${f.fundName} ${formatMoney(f.totalCents, 'USD')}`);
      expect(text).toContain('Grace Chapel is a registered charity, number 12345.');
      if (person === people.ana) {
        expect(statement.totalCents).toBe(8734);
        expect(statement.uncommittedDonations).toBe(1);
        expect(text).toContain('1 gift of 2025 still in batches not yet committed is not included');
        expect(text).not.toContain('99.99');
      }
    }
    const again = await call('GET', '/api/giving/year-end/2025/statements.zip');
    expect(Buffer.compare(again.rawPayload, zip.rawPayload)).toBe(0);

    for (const [method, url] of [
      ['GET', '/api/giving/year-end/2023'],
      ['GET', '/api/giving/year-end/2023/statements.zip'],
      ['POST', '/api/giving/year-end/2023/emails'],
    ] as const) {
      const none = await call(method, url);
      expect(none.statusCode).toBe(404);
      expect(none.json()).toMatchObject({ code: 'NO_GIFTS' });
    }
    expect((await call('GET', '/api/giving/year-end/12')).statusCode).toBe(400);
    expect((await call('GET', '/api/giving/year-end-runs/nope')).statusCode).toBe(404);
  }, 120_000);

  it('prints names beyond Latin-1: Polish, Greek and Cyrillic letters come out as written', async () => {
    const s = await setup(dialect);
    const { data } = s;
    await data('PATCH', '/api/church', { name: 'Łódź Parafia', city: 'Łódź', country: 'PL' }, 'admin');
    const people = [
      ['Ελπίδα', 'Παπαδοπούλου'],
      ['Дмитрий', 'Церковный'],
      ['Zoë', 'Żółkiewska'],
    ];
    const fund = await data('POST', '/api/funds', { name: 'Ofiara – Misje' });
    for (const [firstName, lastName] of people) {
      const p = await data('POST', '/api/people', { firstName, lastName }, 'admin');
      await data('POST', '/api/donations', {
        personId: p.id,
        receivedOn: '2025-05-04',
        method: 'cash',
        splits: [{ fundId: fund.id, amountCents: 2500 }],
      });
    }
    const zip = await s.call('GET', '/api/giving/year-end/2025/statements.zip');
    expect(zip.statusCode).toBe(200);
    const texts = await Promise.all(Object.values(unzipSync(new Uint8Array(zip.rawPayload))).map(pdfText));
    expect(texts).toHaveLength(3);
    for (const text of texts) {
      expect(text).toContain('Łódź Parafia');
      expect(text).toContain('Ofiara – Misje');
      expect(text).not.toContain('?');
    }
    for (const [first, last] of people) expect(texts.some((t) => t.includes(`${first} ${last}`))).toBe(true);
  }, 120_000);

  it('emails each donor with an address the PDF, with progress; asking again sends nothing twice', async () => {
    const s = await setup(dialect);
    const { church, stack, call, sink } = s;
    await seedGiving(s, church, stack);
    // The church's own wording replaces the server's.
    const receipt = 'Registered charity 987: no goods or services were given for these gifts.';
    await s.data('PATCH', '/api/church', { taxReceiptText: receipt }, 'admin');
    expect((await s.data('GET', '/api/giving/year-end/2025')).receiptText).toBe(receipt);
    const started = await call('POST', '/api/giving/year-end/2025/emails');
    expect(started.statusCode).toBe(202);
    const run = started.json().data;
    expect(run).toMatchObject({ year: 2025, total: 1, sent: 0, failed: 0, withoutEmail: 2 });
    await waitUntil(
      'run done',
      async () => (await call('GET', `/api/giving/year-end-runs/${run.id}`)).json().data.status === 'done',
    );
    expect((await call('GET', `/api/giving/year-end-runs/${run.id}`)).json().data).toMatchObject({
      queued: 1,
      total: 1,
    });
    const [m] = await sink.waitForMessages(1);
    await waitUntil(
      'email counted as sent',
      async () => (await call('GET', `/api/giving/year-end-runs/${run.id}`)).json().data.sent === 1,
    );
    expect(m!.subject).toBe('Your 2025 giving statement from Grace Chapel');
    expect(m!.to && 'text' in m!.to ? m!.to.text : '').toBe('ana@example.org');
    expect(m!.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['giving-statement-2025.pdf', 'application/pdf'],
    ]);
    const emailed = await pdfText(m!.attachments[0]!.content);
    expect(emailed).toContain(`Total tax-deductible contributions ${formatMoney(8734, 'USD')}`);
    expect(emailed).toContain(receipt);

    const second = await call('POST', '/api/giving/year-end/2025/emails');
    expect(second.statusCode).toBe(202);
    const secondId = second.json().data.id;
    await waitUntil(
      'second run done',
      async () => (await call('GET', `/api/giving/year-end-runs/${secondId}`)).json().data.status === 'done',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.attempts).toHaveLength(1);
    expect((await call('POST', '/api/giving/year-end/2025/emails', undefined, 'admin')).statusCode).toBe(202);
  });

  it('counts a statement the mail server refuses for good as failed, so the run can finish', async () => {
    const s = await setup(dialect);
    await seedGiving(s, s.church, s.stack);
    s.sink.mode = 'permfail';
    const run = (await s.call('POST', '/api/giving/year-end/2025/emails')).json().data;
    await waitUntil(
      'email counted as failed',
      async () => (await s.call('GET', `/api/giving/year-end-runs/${run.id}`)).json().data.failed === 1,
      60_000,
    );
    expect((await s.call('GET', `/api/giving/year-end-runs/${run.id}`)).json().data).toMatchObject({
      status: 'done',
      total: 1,
      queued: 1,
      sent: 0,
      failed: 1,
    });
  }, 120_000);
});
