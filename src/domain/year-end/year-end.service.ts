import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { v7 as uuidv7 } from 'uuid';
import { AppError, Errors } from '../../errors/app-error.js';
import type { MailOutbox } from '../../mail/mail-outbox.js';
import { mailOutcomes } from '../../mail/mail-outbox.repository.js';
import type { TenantDatabases, TenantDb } from '../../tenancy/tenant-database.js';
import { NO_GOODS_OR_SERVICES } from '../giving/statement-html.js';
import { churchProfile, deductibleLinesByDonor } from '../giving/statements.repository.js';
import { summarize } from '../giving/statements.service.js';
import { type AddressColumns, NO_ADDRESS } from '../postal-address.js';
import { renderInOrder } from './render-in-order.js';
import type { StatementDocument } from './statement-document.js';
import type { StatementPdfPool } from './statement-pdf-pool.js';
import { yearEndEmail } from './year-end.email.js';
import { donorAddresses, type YearEndDonor, yearEndDonors, yearEndTotals } from './year-end.repository.js';
import type { YearEndRunRow } from './year-end.table.js';

/**
 * Donors read and summarised per page: bounds memory whatever the church's size, and keeps each
 * synchronous SQLite read short (25 donors of 50 gifts: ~1,250 rows) so requests are not held up.
 */
const PAGE = 25;
/** Statements recorded in the outbox per transaction. */
const EMAIL_BATCH = 25;
/** A run silent this long lost its job (the process died): asking again starts a new one. */
const STALE_RUN_MS = 2 * 60_000;
// A permissive shape check: a stored address that is plainly not one goes on the print list.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface YearEndDeps {
  tenants: TenantDatabases;
  outbox: MailOutbox;
  pool: StatementPdfPool;
  /** The server's tax-receipt wording, for churches that have not set their own. */
  receiptText: string | undefined;
  /** Starts the job that emails a run's statements. */
  dispatch(tenantId: string, runId: string): Promise<void>;
}

export interface YearEndStatement {
  donor: YearEndDonor;
  document: StatementDocument;
}

const hasEmail = (d: YearEndDonor) => d.email !== null && EMAIL.test(d.email);

function addressLines(a: AddressColumns | undefined): string[] {
  if (!a) return [];
  const cityLine = [a.city, [a.region, a.postal_code].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return [a.address_line1, a.address_line2, cityLine, a.country].filter((l): l is string => Boolean(l));
}

const noGifts = (year: number) =>
  new AppError('NO_GIFTS', `No tax-deductible gifts are recorded for ${year}.`);

/** A stable, portable file name for a donor's PDF in the ZIP. */
function fileName(year: number, donor: YearEndDonor): string {
  const base = donor.name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return `${year}/${base || donor.kind}-${donor.id.slice(-12)}.pdf`;
}

/** Each year's statement emails share this dedupe-key prefix (one per donor). */
const emailKey = (year: number, donorKey = '') => `year-end:${year}:${donorKey}`;

/** A run as the API shows it, with its emails' outcomes. */
export function toRun(row: YearEndRunRow, outcomes: { sent: number; failed: number }) {
  return {
    id: row.id,
    year: Number(row.year),
    status: row.status,
    total: Number(row.total),
    queued: Number(row.queued),
    ...outcomes,
    withoutEmail: Number(row.without_email),
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}
export type YearEndRun = ReturnType<typeof toRun>;

/**
 * Year-end giving statements for every donor: a ZIP of PDFs, or an email to each donor with an
 * address. Committed batches only, with a note for gifts still in open batches; the totals are
 * the giving statements' own (the same summarize), and the same data gives the same PDFs.
 */
export class YearEndStatements {
  constructor(private readonly d: YearEndDeps) {}

  /**
   * Who gave in the year, the gifts and total the statements show, the gifts still in open
   * batches, the receipt wording, and who has no email address (their statements are printed).
   */
  async summary(db: TenantDb, year: number) {
    const donors = await this.donors(db, year);
    const without = donors.filter((d) => !hasEmail(d));
    const addresses = await donorAddresses(db, without);
    const profile = await churchProfile(db);
    return {
      year,
      currency: profile?.currency ?? 'USD',
      receiptText: this.receiptText(profile),
      ...(await yearEndTotals(db, `${year}-01-01`, `${year}-12-31`)),
      donors: donors.length,
      withEmail: donors.length - without.length,
      withoutEmail: without.map((d) => ({
        kind: d.kind,
        id: d.id,
        name: d.name,
        email: d.email,
        addressLines: addressLines(addresses.get(d.key)),
      })),
    };
  }

  /** Every donor's statement, page by page, in donor order. */
  async *statements(db: TenantDb, year: number, donors?: YearEndDonor[]): AsyncGenerator<YearEndStatement> {
    const all = donors ?? (await this.donors(db, year));
    const profile = (await churchProfile(db)) ?? {
      name: 'Church',
      currency: 'USD',
      timezone: 'UTC',
      tax_receipt_text: null,
      ...NO_ADDRESS,
    };
    const church = { name: profile.name, addressLines: addressLines(profile) };
    const receiptText = this.receiptText(profile);
    for (let i = 0; i < all.length; i += PAGE) {
      const page = all.slice(i, i + PAGE);
      const lines = await deductibleLinesByDonor(
        db,
        {
          personIds: page.filter((d) => d.kind === 'person').map((d) => d.id),
          householdIds: page.filter((d) => d.kind === 'household').map((d) => d.id),
        },
        `${year}-01-01`,
        `${year}-12-31`,
      );
      const addresses = await donorAddresses(db, page);
      for (const donor of page) {
        const mine = lines.get(donor.key) ?? [];
        const s = summarize(mine.filter((l) => !l.inOpenBatch));
        yield {
          donor,
          document: {
            church,
            donor: { name: donor.name, addressLines: addressLines(addresses.get(donor.key)) },
            year,
            currency: profile.currency,
            timezone: profile.timezone,
            receiptText,
            totalCents: s.totalCents,
            byFund: s.byFund.map((f) => ({ fundName: f.fundName, totalCents: f.totalCents })),
            gifts: s.donations.map((g) => ({
              receivedOn: g.receivedOn,
              method: g.checkNumber ? `${g.method} #${g.checkNumber}` : g.method,
              funds: g.splits.map((x) => x.fundName).join(', '),
              amountCents: g.amountCents,
              correction: g.reversesId !== null,
            })),
            uncommittedGifts: new Set(mine.filter((l) => l.inOpenBatch).map((l) => l.donationId)).size,
          },
        };
      }
    }
  }

  /**
   * The year's statements as a ZIP stream, one PDF per donor. A year with no gifts throws
   * before anything is sent; PDFs are rendered on worker threads a few at a time and added as
   * the ZIP is read, so memory stays flat however many donors there are.
   */
  async zip(db: TenantDb, year: number): Promise<Readable> {
    const donors = await this.donors(db, year);
    const { ZipArchive } = await import('archiver');
    const archive = new ZipArchive({ zlib: { level: 0 } });
    // Entry dates fixed to the year's end: the same data gives the same archive.
    const date = new Date(Date.UTC(year, 11, 31, 12));
    // A client that goes away closes the archive: the feed stops instead of waiting for an entry.
    const closed = new Promise<void>((resolve) => archive.once('close', resolve));
    const feed = async () => {
      const rendered = renderInOrder(
        this.statements(db, year, donors),
        (s) => this.d.pool.render(s.document),
        this.d.pool.window,
      );
      for await (const [s, pdf] of rendered) {
        if (archive.destroyed) return;
        const added = once(archive, 'entry');
        // PDFs are compressed already: stored, not deflated again.
        archive.append(pdf, { name: fileName(year, s.donor), date, store: true });
        await Promise.race([added, closed]);
      }
      await archive.finalize();
    };
    feed().catch((err) => archive.destroy(err));
    return archive;
  }

  /** Starts (or, if one is running, returns) the run that emails the year's statements. */
  async startEmails(db: TenantDb, tenantId: string, year: number, userId: string): Promise<YearEndRun> {
    const donors = await this.donors(db, year);
    const running = await db
      .selectFrom('year_end_runs')
      .selectAll()
      .where('year', '=', year)
      .where('status', '=', 'running')
      .where('updated_at', '>', new Date(Date.now() - STALE_RUN_MS).toISOString())
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (running) return this.withOutcomes(db, running);
    const now = new Date().toISOString();
    const withEmail = donors.filter(hasEmail).length;
    const row: YearEndRunRow = {
      id: uuidv7(),
      year,
      status: 'running',
      total: withEmail,
      queued: 0,
      without_email: donors.length - withEmail,
      error: null,
      created_by: userId,
      created_at: now,
      updated_at: now,
      finished_at: null,
    };
    await db.insertInto('year_end_runs').values(row).execute();
    await this.d.dispatch(tenantId, row.id);
    return this.withOutcomes(db, row);
  }

  /** A run's progress, with how many of the year's statement emails were sent or failed so far. */
  async getRun(db: TenantDb, id: string): Promise<YearEndRun> {
    const row = await db.selectFrom('year_end_runs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw Errors.notFound('year-end run');
    return this.withOutcomes(db, row);
  }

  private async withOutcomes(db: TenantDb, row: YearEndRunRow): Promise<YearEndRun> {
    return toRun(row, await mailOutcomes(db, emailKey(Number(row.year))));
  }

  /** The church's own wording, else the server's, else the standard sentence. */
  private receiptText(profile: { tax_receipt_text: string | null } | undefined): string {
    return profile?.tax_receipt_text ?? this.d.receiptText ?? NO_GOODS_OR_SERVICES;
  }

  /**
   * The job: records each donor's email with the PDF attached, a batch per transaction. Each
   * is keyed by year and donor, so a rerun (a retried job, a second run) never sends twice.
   */
  async runEmails(tenantId: string, runId: string, o: { final: boolean }): Promise<void> {
    await this.d.tenants.withTenant(tenantId, async (db) => {
      const run = await db.selectFrom('year_end_runs').selectAll().where('id', '=', runId).executeTakeFirst();
      if (run?.status !== 'running') return;
      const year = Number(run.year);
      const progress = (queued: number, extra: Partial<YearEndRunRow> = {}) =>
        db
          .updateTable('year_end_runs')
          .set({ queued, updated_at: new Date().toISOString(), ...extra })
          .where('id', '=', runId)
          .execute();
      try {
        const church = (await churchProfile(db))?.name ?? 'Your church';
        const donors = (await yearEndDonors(db, `${year}-01-01`, `${year}-12-31`)).filter(hasEmail);
        let queued = 0;
        let batch: Array<[YearEndStatement, Buffer]> = [];
        const flush = async () => {
          if (!batch.length) return;
          const items = batch;
          batch = [];
          await this.d.outbox.transaction(tenantId, db, async (_trx, queue) => {
            for (const [s, pdf] of items) {
              const message = yearEndEmail({ to: s.donor.email!, donor: s.donor.name, church, year, pdf });
              await queue(message, { dedupeKey: emailKey(year, s.donor.key) });
            }
          });
          queued += items.length;
          await progress(queued);
        };
        const rendered = renderInOrder(
          this.statements(db, year, donors),
          (s) => this.d.pool.render(s.document),
          this.d.pool.window,
        );
        for await (const item of rendered) {
          batch.push(item);
          if (batch.length >= EMAIL_BATCH) await flush();
        }
        await flush();
        await progress(queued, { status: 'done', finished_at: new Date().toISOString() });
      } catch (err) {
        // A retry follows unless this was the last attempt; a rerun re-sends nothing (dedupe keys).
        const error = String((err as Error).message).slice(0, 500);
        await progress(run.queued, o.final ? { status: 'failed', error } : { error }).catch(() => {});
        throw err;
      }
    });
  }

  private async donors(db: TenantDb, year: number): Promise<YearEndDonor[]> {
    const donors = await yearEndDonors(db, `${year}-01-01`, `${year}-12-31`);
    if (!donors.length) throw noGifts(year);
    return donors;
  }
}
