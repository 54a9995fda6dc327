import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { startSmtpSink } from '../test/helpers/smtp-sink.js';
import { type Bench, percentile, round } from './lib/bench.js';
import { registerAndLogin, startBenchServer } from './lib/server-process.js';

const DONORS = 2000;
const GIFTS = 50;
const YEAR = 2025;

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU seconds a process has used (user + system, all its threads). */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Resident memory of a process in MB (Linux /proc; worker threads included). */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** 2,000 donors with an email and 50 gifts each in one committed batch, written straight into the church's file. */
function seed(file: string, fundId: string): void {
  const db = new Database(file);
  db.pragma('busy_timeout = 10000');
  const now = new Date().toISOString();
  const batch = uuidv7();
  const person = db.prepare(
    `insert into people (id, first_name, last_name, email, membership_status, first_name_key, last_name_key, email_key, created_at, updated_at)
     values (?, ?, ?, ?, 'member', ?, ?, ?, ?, ?)`,
  );
  const donation = db.prepare(
    `insert into donations (id, person_id, batch_id, received_on, method, amount_cents, created_at, updated_at)
     values (?, ?, ?, ?, 'check', ?, ?, ?)`,
  );
  const split = db.prepare(
    'insert into donation_splits (donation_id, position, fund_id, amount_cents) values (?, 0, ?, ?)',
  );
  db.transaction(() => {
    db.prepare(
      `insert into batches (id, name, date, status, committed_at, created_at, updated_at) values (?, 'Year', ?, 'committed', ?, ?, ?)`,
    ).run(batch, `${YEAR}-12-31`, now, now, now);
    for (let i = 0; i < DONORS; i++) {
      const id = uuidv7();
      const first = `Donor${i}`;
      const last = `Family${i % 97}`;
      const email = `donor${i}@bench.example`;
      person.run(id, first, last, email, first.toLowerCase(), last.toLowerCase(), email, now, now);
      for (let g = 0; g < GIFTS; g++) {
        const d = uuidv7();
        const day = String((g % 28) + 1).padStart(2, '0');
        const month = String((g % 12) + 1).padStart(2, '0');
        const cents = 1000 + ((i * 31 + g * 7) % 5000);
        donation.run(d, id, batch, `${YEAR}-${month}-${day}`, cents, now, now);
        split.run(d, fundId, cents);
      }
    }
  })();
  db.close();
}

/** Authenticated reads every 25 ms while `work` runs: their latencies. */
async function probe(url: string, token: string, work: Promise<unknown>): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true });
  const times: number[] = [];
  let done = false;
  void work.finally(() => {
    done = true;
  });
  while (!done) {
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) => {
      http
        .get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200 ? resolve() : reject(new Error(`probe answered ${res.statusCode}`)),
          );
        })
        .on('error', reject);
    });
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 25));
  }
  agent.destroy();
  return times;
}

/** Downloads the ZIP, counting bytes, sampling the server's RSS. */
async function download(
  url: string,
  token: string,
  pid: number,
): Promise<{ bytes: number; peakRss: number }> {
  let peakRss = rssMb(pid);
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, rssMb(pid));
  }, 200);
  try {
    const bytes = await new Promise<number>((resolve, reject) => {
      http
        .get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
          if (res.statusCode !== 200) return reject(new Error(`zip answered ${res.statusCode}`));
          let n = 0;
          res.on('data', (c: Buffer) => {
            n += c.length;
          });
          res.on('end', () => resolve(n));
          res.on('error', reject);
        })
        .on('error', reject);
    });
    return { bytes, peakRss };
  } finally {
    clearInterval(timer);
  }
}

const bench: Bench = {
  name: 'year-end',
  title: `Year-end statements for ${DONORS} donors with ${GIFTS} gifts each (SQLite church, compiled server, STATEMENT_WORKERS=2): the ZIP of PDFs (time, server RSS growth, p99 of authenticated GET /api/people?limit=20 every 25 ms meanwhile vs before), then emailing all of them to a local SMTP server (smtp-server in the bench process).`,
  async run({ log }) {
    const sink = await startSmtpSink();
    // Compiled, as `npm start` runs it: worker threads then load plain JavaScript.
    const server = await startBenchServer(
      { SMTP_URL: sink.url, MAIL_SWEEP_INTERVAL_MS: '1000' },
      { entry: 'compiled' },
    );
    try {
      const { token, churchId } = await registerAndLogin(server, `y${Date.now().toString(36)}`);
      const fund = await server.api('POST', '/api/funds', { name: 'General' }, token);
      if (fund.status !== 201) throw new Error(`fund answered ${fund.status}`);
      log(`seeding ${DONORS} donors x ${GIFTS} gifts`);
      seed(path.join(server.dataDir, 'tenants', `${churchId}.db`), fund.body.data.id);
      const summary = await server.api('GET', `/api/giving/year-end/${YEAR}`, undefined, token);
      if (summary.body.data?.donors !== DONORS) throw new Error(`summary: ${JSON.stringify(summary.body)}`);

      const probeUrl = `${server.url}/api/people?limit=20`;
      const idle = new Promise((r) => setTimeout(r, 5000));
      const before = await probe(probeUrl, token, idle);
      const pid = server.child.pid!;
      const rssBefore = rssMb(pid);
      const t0 = performance.now();
      const cpu0 = cpuSeconds(pid);
      const zip = download(`${server.url}/api/giving/year-end/${YEAR}/statements.zip`, token, pid);
      const during = await probe(probeUrl, token, zip);
      const { bytes, peakRss } = await zip;
      const zipSeconds = (performance.now() - t0) / 1000;
      const zipCpuSeconds = cpuSeconds(pid) - cpu0;
      log(`zip ${round(bytes / 1024 / 1024, 1)} MB in ${round(zipSeconds, 1)} s`);

      const t1 = performance.now();
      const run = await server.api('POST', `/api/giving/year-end/${YEAR}/emails`, undefined, token);
      if (run.status !== 202) throw new Error(`emails answered ${run.status}`);
      await sink.waitForMessages(DONORS, 300_000);
      const emailSeconds = (performance.now() - t1) / 1000;
      log(`${sink.messages.length} emails delivered in ${round(emailSeconds, 1)} s`);

      const p99Before = percentile(before, 99);
      const p99During = percentile(during, 99);
      const growth = peakRss - rssBefore;
      return {
        metrics: {
          donors: DONORS,
          giftsPerDonor: GIFTS,
          zipSeconds: round(zipSeconds, 1),
          zipMb: round(bytes / 1024 / 1024, 1),
          zipServerCpuSeconds: round(zipCpuSeconds, 1),
          cpuMsPerPdf: round((zipCpuSeconds * 1000) / DONORS, 1),
          rssBeforeMb: round(rssBefore, 1),
          rssPeakMb: round(peakRss, 1),
          rssGrowthMb: round(growth, 1),
          probeP99BeforeMs: round(p99Before, 1),
          probeP99DuringMs: round(p99During, 1),
          probeP50DuringMs: round(percentile(during, 50), 1),
          probeRequestsDuring: during.length,
          emailsDelivered: sink.messages.length,
          emailSeconds: round(emailSeconds, 1),
        },
        goals: [
          {
            label: `${DONORS} PDFs (ZIP)`,
            target: '<= 60 s',
            actual: `${round(zipSeconds, 1)} s`,
            pass: zipSeconds <= 60,
          },
          {
            label: 'server RSS growth while making them',
            target: '<= 200 MB',
            actual: `${round(growth, 1)} MB`,
            pass: growth <= 200,
          },
          {
            label: 'API p99 meanwhile',
            target: '<= 100 ms',
            actual: `${round(p99During, 1)} ms (before: ${round(p99Before, 1)} ms)`,
            pass: p99During <= 100,
          },
          {
            label: `${DONORS} emails queued and delivered`,
            target: '<= 60 s',
            actual: `${round(emailSeconds, 1)} s`,
            pass: emailSeconds <= 60,
          },
        ],
        notes: [
          'Every PDF carries 50 gift rows (two pages); the probe is sequential, one request every 25 ms.',
          'zipServerCpuSeconds is the server process CPU (all threads) while the ZIP was made: the figure the load average does not distort; wall time on an idle 2-core machine is about that divided by the two worker threads.',
        ],
      };
    } finally {
      await server.stop();
      await sink.close();
    }
  },
};

export default bench;
