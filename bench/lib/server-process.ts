import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { waitUntil } from '../../test/helpers/http-api.js';
import { freePort } from '../../test/helpers/process.js';
import { keepAliveApi, type TimedApi } from './keep-alive-api.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const BENCH_OPS_TOKEN = 'bench-ops-token-0123456789abcdef';
export const BENCH_PASSWORD = 'bench password 0123';

export interface BenchServer {
  url: string;
  dataDir: string;
  child: ChildProcess;
  api: TimedApi;
  /** `GET /api/health/connections` data (tenant manager stats). */
  connections(): Promise<{ potentialLeaks: number; currentlyOpen: number; [k: string]: unknown }>;
  /**
   * Statements sent so far per database (file path for SQLite, `pg:<name>` for PostgreSQL);
   * only with `countQueries` (bench/lib/count-queries.js).
   */
  queryCounts(): Promise<Record<string, number>>;
  /** Error-level log lines so far (the server logs at warn). */
  errors(): string[];
  stop(): Promise<void>;
}

/**
 * A bench server's environment: loopback, its own DATA_DIR, logging at warn (per-request info
 * logs would dominate what is measured), no Redis or PostgreSQL unless `env` sets them.
 */
export function benchServerEnv(port: number, dataDir: string, env: Record<string, string> = {}) {
  return {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    // Every bench client logs in from 127.0.0.1, many times over.
    LOGIN_SUCCESS_LIMIT: '1000000',
    LOGIN_IP_SUCCESS_LIMIT: '1000000',
    REDIS_URL: '',
    DATABASE_URL: '',
    TENANT_DB_SERVERS: '',
    ...env,
  };
}

/**
 * Node arguments for the server: the sources with the bench-only routes (`bench/server/main.ts`)
 * through tsx, or the compiled dist/ as `npm start` runs it (no bench routes).
 */
export const SERVER_ENTRIES = {
  sources: ['--import', 'tsx', 'bench/server/main.ts'],
  compiled: ['dist/src/main.js'],
} as const;

let built = false;
/** Brings dist/ up to date with the sources (incremental tsc), once per bench process. */
export function buildOnce(): void {
  if (built) return;
  const res = spawnSync('npm', ['run', 'build:server'], { cwd: ROOT, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`npm run build:server failed:\n${res.stdout}\n${res.stderr}`);
  built = true;
}

/**
 * The real server process on loopback (benchServerEnv) with an ops token and no registration
 * rate limit; `compiled` runs dist/ as production does, built first. Ready once `/api/health`
 * answers.
 */
export async function startBenchServer(
  env: Record<string, string> = {},
  opts: { entry?: keyof typeof SERVER_ENTRIES; countQueries?: boolean } = {},
): Promise<BenchServer> {
  const entry = opts.entry ?? 'sources';
  if (entry === 'compiled') buildOnce();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steeple-bench-srv-'));
  const port = await freePort();
  const counter = opts.countQueries
    ? ['--import', pathToFileURL(path.join(ROOT, 'bench/lib/count-queries.js')).href]
    : [];
  const child = spawn(process.execPath, [...counter, ...SERVER_ENTRIES[entry]], {
    cwd: ROOT,
    env: benchServerEnv(port, dataDir, { OPS_TOKEN: BENCH_OPS_TOKEN, REGISTRATION_RATE_LIMIT: '0', ...env }),
    stdio: ['ignore', 'pipe', 'pipe', ...(opts.countQueries ? (['ipc'] as const) : [])],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d).slice(-200_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const { api, close: closeApi } = keepAliveApi(url, 60_000);
  try {
    await waitUntil(
      'the bench server to answer /api/health',
      async () => {
        if (child.exitCode !== null) throw new Error(`server exited:\n${out}`);
        return (await api('GET', '/api/health')).status === 200;
      },
      90_000,
      100,
    );
  } catch (err) {
    child.kill('SIGKILL');
    closeApi();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n${out.slice(-2000)}`);
  }
  return {
    url,
    dataDir,
    child,
    api,
    connections: async () => {
      const res = await api('GET', '/api/health/connections', undefined, BENCH_OPS_TOKEN);
      if (res.status !== 200) throw new Error(`health/connections answered ${res.status}`);
      return res.body.data.connections ?? res.body.data;
    },
    queryCounts: () =>
      new Promise((resolve, reject) => {
        if (!child.send) return reject(new Error('started without countQueries'));
        child.once('message', (m) => resolve((m as { queryCounts: Record<string, number> }).queryCounts));
        child.send({ countQueries: true });
      }),
    errors: () => out.split('\n').filter((l) => /"level":(50|60)/.test(l)),
    stop: async () => {
      closeApi();
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A registration body for church number `n` of a run (`tag` keeps slugs unique per run). */
export function registrationBody(tag: string, n: number) {
  const slug = `b${tag}-${n}`;
  return {
    church: { name: `Bench Church ${n}`, slug, timezone: 'America/Chicago', currency: 'USD' },
    admin: { name: `Admin ${n}`, email: `admin${n}@${slug}.example`, password: BENCH_PASSWORD },
  };
}

/** Registers one church on the bench server and logs its admin in: its access token and id. */
export async function registerAndLogin(
  server: Pick<BenchServer, 'api'>,
  tag: string,
): Promise<{ token: string; churchId: string }> {
  const body = registrationBody(tag, 0);
  const reg = await server.api('POST', '/api/registrations?wait=true', body);
  if (reg.status !== 201) throw new Error(`registration answered ${reg.status}`);
  const login = await server.api('POST', '/api/auth/login', {
    church: body.church.slug,
    email: body.admin.email,
    password: BENCH_PASSWORD,
  });
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  return { token: login.body.data.accessToken, churchId: login.body.data.church.id };
}
