import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Node arguments that run the operator CLI from the sources. Tests never go through
 * bin/steeple.js, which prefers the compiled dist/ and would test a stale build.
 */
export const CLI_FROM_SOURCES = ['--import', 'tsx', 'src/cli/main.ts'];

/** Node arguments that run the server from the sources (what tests exercise). */
export const SERVER_FROM_SOURCES = ['--import', 'tsx', 'src/main.ts'];

/** A free TCP port on loopback (bind to 0, read, release). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Spawns the real server (`src/main.ts`, or what `entry` names) and resolves once it listens. No
 * spare tenant databases unless `env` asks (see testConfig). Start-up compiles TypeScript through
 * tsx: on two busy shared cores that alone can take over 20 s, hence the generous default.
 */
export async function spawnServer(
  env: Record<string, string>,
  timeoutMs = 60_000,
  entry: string[] = SERVER_FROM_SOURCES,
): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, entry, {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: String(port),
      TENANT_SPARE_DATABASES: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  while (!out.includes('Steeple listening')) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    output: () => out,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
