import fs from 'node:fs';
import http from 'node:http';
import type { ImportReportData } from '../src/domain/imports/imports.schemas.js';
import { type Bench, mb, percentile, round } from './lib/bench.js';
import { registerAndLogin, startBenchServer } from './lib/server-process.js';

type ImportJobBody = {
  id: string;
  status: string;
  phase: string | null;
  rowsDone: number;
  problem: unknown;
  report: ImportReportData;
};

/** `--people=N` and `--gifts=N` run a smaller version (e.g. an A/B run on a shared machine). */
const sizeArg = (name: string, fallback: number) => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.slice(name.length + 3)) : fallback;
};
const PEOPLE = sizeArg('people', 50_000);
const GIFTS = sizeArg('gifts', 200_000);

// Planning Center People's export layout: the header row of test/fixtures/imports, invented
// values (columns the rows leave out stay empty, as in a real export).
const PEOPLE_HEADER = fs
  .readFileSync(new URL('../test/fixtures/imports/planning-center-people.csv', import.meta.url), 'utf8')
  .split(/\r?\n/, 1)[0]!
  .split(',');
const MEMBERSHIP = ['Member', 'Regular Attender', 'Visitor', 'Member', 'Guest'];
const SIZES = ['S', 'M', 'L', 'XL'];

function personRow(i: number): Record<string, string | number> {
  const hh = Math.floor(i / 3);
  const role = i % 3;
  const year = role === 2 ? 2012 : 1950 + (i % 50);
  return {
    'Person ID': 100000 + i,
    'First Name': `First${i}`,
    'Last Name': `Family${hh}`,
    Birthdate: `${(i % 12) + 1}/${(i % 28) + 1}/${year}`,
    Gender: i % 2 ? 'F' : 'M',
    Child: role === 2 ? 'true' : 'false',
    'Marital Status': role < 2 ? 'Married' : 'Single',
    Status: 'active',
    Membership: MEMBERSHIP[i % 5]!,
    'Home Address Street Line 1': `${hh} Main St`,
    'Home Address City': 'Springfield',
    'Home Address State': 'IL',
    'Home Address Zip Code': '62701',
    'Home Email': role === 2 ? '' : `p${i}@example.org`,
    'Mobile Phone Number': `555-${String(i).padStart(7, '0')}`,
    'Household ID': 500000 + hh,
    'Household Name': `Family${hh} Household`,
    'Household Primary Contact': role === 0 ? 'true' : 'false',
    'Created At': '2020-01-01T00:00:00Z',
    'Updated At': '2024-01-01T00:00:00Z',
    'Baptism Date': i % 4 ? '' : '04/15/2001',
    'T-Shirt Size': SIZES[i % 4]!,
  };
}

function peopleFile(): string {
  const lines = [PEOPLE_HEADER.join(',')];
  for (let i = 0; i < PEOPLE; i++) {
    const row = personRow(i);
    lines.push(PEOPLE_HEADER.map((column) => row[column] ?? '').join(','));
  }
  return `${lines.join('\n')}\n`;
}

// The columns of Planning Center Giving's donations export that carry a gift (the other columns
// would only be ignored), so 200,000 gifts stay under the upload limit.
function giftsFile(): string {
  const lines = [
    'Donation ID,Received At,Payment Method,Payment Check Number,Amount,Fund,Batch ID,Person ID',
  ];
  const funds = ['General Fund', 'Missions', 'Building Fund', 'Youth', 'Benevolence'];
  for (let i = 0; i < GIFTS; i++) {
    const day = Math.floor(i / 400);
    const date = new Date(Date.UTC(2020, 0, 5) + day * 86_400_000).toISOString().slice(0, 10);
    lines.push(
      `${900000 + i},${date}T10:00:00Z,${i % 3 ? 'card' : 'check'},${i % 3 ? '' : 1000 + (i % 9000)},${(5 + (i % 500)).toFixed(2)},${funds[i % 5]},${7000 + day},${100000 + ((i * 7919) % PEOPLE)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function post(
  url: string,
  path: string,
  token: string,
  body: Buffer,
): Promise<{ status: number; body: { data: ImportJobBody } }> {
  return new Promise((resolve, reject) => {
    const u = new URL(path, url);
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      },
      (res) => {
        let data = '';
        res.on('data', (d) => {
          data += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** CPU seconds (user + system) a process has used: less shaken by a busy machine than wall time. */
const cpuOf = (pid: number) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

const rssOf = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
};

const bench: Bench = {
  name: 'imports',
  title: `A ${PEOPLE.toLocaleString('en')}-person Planning Center People export (dry run, then import) and ${GIFTS.toLocaleString('en')} Planning Center Giving gifts, as background imports on SQLite against the real server process, with /api/health probed meanwhile.`,
  async run({ log }) {
    const server = await startBenchServer();
    try {
      const { token } = await registerAndLogin(server, `imp${Date.now().toString(36)}`);
      for (const f of [
        { key: 'baptism_date', label: 'Baptism Date', type: 'date' },
        { key: 'shirt', label: 'T-Shirt Size', type: 'choice', choices: SIZES },
      ])
        await server.api('POST', '/api/custom-fields', f, token);

      /** Runs one background import to its end, probing health and sampling the server's RSS. */
      const timed = async (path: string, file: Buffer) => {
        const rssBase = rssOf(server.child.pid!);
        let rssPeak = rssBase;
        const health: number[] = [];
        // The slow probes (over 100 ms): when they started, from the upload, and what the job was doing.
        const slow: string[] = [];
        const t0 = performance.now();
        let phase = 'upload';
        let running = true;
        const probe = (async () => {
          while (running) {
            const t = performance.now();
            // What was going on when the probe was sent (a probe that outlasts the upload's
            // request was delayed by the upload, not by what follows it).
            const sentDuring = phase;
            const res = await server.api('GET', '/api/health');
            if (res.status === 200) health.push(res.respondedAt - t);
            if (res.respondedAt - t > 100)
              slow.push(
                `${Math.round(res.respondedAt - t)} ms at ${round((t - t0) / 1000, 1)} s (${sentDuring})`,
              );
            rssPeak = Math.max(rssPeak, rssOf(server.child.pid!));
            await new Promise((r) => setTimeout(r, 50));
          }
        })();
        const cpu0 = cpuOf(server.child.pid!);
        const res = await post(server.url, path, token, file);
        phase = 'queued';
        if (res.status !== 202)
          throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
        let job: ImportJobBody = res.body.data;
        while (job.status !== 'done' && job.status !== 'failed') {
          await new Promise((r) => setTimeout(r, 200));
          job = (await server.api('GET', `/api/imports/${job.id}`, undefined, token)).body.data;
          phase = `${job.status} ${job.phase ?? ''} ${job.rowsDone}`;
        }
        if (slow.length) log(`   slow health probes: ${slow.join(', ')}`);
        const seconds = (performance.now() - t0) / 1000;
        const cpuSeconds = cpuOf(server.child.pid!) - cpu0;
        running = false;
        await probe;
        if (job.status !== 'done') throw new Error(`${path}: ${JSON.stringify(job.problem)}`);
        const r = job.report;
        log(
          `${path}: ${round(seconds, 1)} s (server CPU ${round(cpuSeconds, 1)} s), created ${r.created}, unchanged ${r.unchanged}, errors ${r.errorCount}; health p99 ${round(percentile(health, 99), 1)} ms over ${health.length}; RSS +${mb(rssPeak - rssBase)} MB`,
        );
        return {
          seconds,
          cpuSeconds,
          report: r,
          healthP99: percentile(health, 99),
          rssGrowth: rssPeak - rssBase,
        };
      };

      // Bytes made before the clock starts: encoding 12 MB of text in this process would delay
      // its own health probes' answers and be counted as the server's.
      const people = Buffer.from(peopleFile());
      log(`people file: ${mb(people.length)} MB`);
      const dry = await timed('/api/imports/people?background=true&dryRun=true', people);
      const real = await timed('/api/imports/people?background=true', people);
      const again = await timed('/api/imports/people?background=true&dryRun=true', people);
      const gifts = Buffer.from(giftsFile());
      log(`gifts file: ${mb(gifts.length)} MB`);
      const giving = await timed('/api/imports/giving?background=true&createFunds=true', gifts);
      return {
        metrics: {
          people: PEOPLE,
          peopleFileMb: mb(people.length),
          dryRunS: round(dry.seconds, 1),
          importS: round(real.seconds, 1),
          dryRunCpuS: round(dry.cpuSeconds, 1),
          importCpuS: round(real.cpuSeconds, 1),
          reimportDryRunS: round(again.seconds, 1),
          importRssGrowthMb: mb(real.rssGrowth),
          importHealthP99Ms: round(real.healthP99, 1),
          dryRunHealthP99Ms: round(dry.healthP99, 1),
          dryRunRssGrowthMb: mb(dry.rssGrowth),
          created: real.report.created,
          householdsCreated: real.report.households?.created ?? 0,
          reimportUnchanged: again.report.unchanged,
          gifts: GIFTS,
          giftsFileMb: mb(gifts.length),
          giftsS: round(giving.seconds, 1),
          giftsCpuS: round(giving.cpuSeconds, 1),
          giftsCreated: giving.report.created,
          giftsRssGrowthMb: mb(giving.rssGrowth),
          giftsHealthP99Ms: round(giving.healthP99, 1),
        },
        goals: [
          {
            label: `dry run of ${PEOPLE} people`,
            target: '<= 10 s',
            actual: `${round(dry.seconds, 1)} s`,
            pass: dry.seconds <= 10,
          },
          {
            label: `import of ${PEOPLE} people`,
            target: '<= 30 s',
            actual: `${round(real.seconds, 1)} s`,
            pass: real.seconds <= 30,
          },
          {
            label: 'server RSS growth during the import',
            target: '<= 150 MB',
            actual: `${mb(real.rssGrowth)} MB`,
            pass: real.rssGrowth <= 150 * 1024 * 1024,
          },
          {
            label: '/api/health p99 during the import',
            target: '<= 100 ms',
            actual: `${round(real.healthP99, 1)} ms`,
            pass: real.healthP99 <= 100,
          },
          {
            label: `import of ${GIFTS} gifts`,
            target: '<= 60 s',
            actual: `${round(giving.seconds, 1)} s`,
            pass: giving.seconds <= 60,
          },
        ],
        notes: [
          'Background imports (POST ...?background=true, then GET /api/imports/{id} every 200 ms until done) on a SQLite church of the real server process (sources through tsx, logging at warn, no Redis: in-process job runner). Times run from the upload to the poll that sees done.',
          'The people import is onError=abort: one pass checks and plans every row, then the kept plans are written; the dry run is that pass alone. The re-import dry run finds every row unchanged.',
          "Server CPU is the server process's user + system time over the import (from /proc): on a shared machine it moves far less than wall time, so A/B comparisons use it.",
          'Health is probed every 50 ms over a keep-alive connection; RSS growth is the server process VmRSS peak minus its value when that import started (the import runs after the dry run, whose own growth from a cold server is dryRunRssGrowthMb).',
        ],
      };
    } finally {
      await server.stop();
    }
  },
};

export default bench;
