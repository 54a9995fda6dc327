import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import { freePort } from './process.js';

/** A private `redis-server` child on a free loopback port, which a test may kill and restart. */
export interface RedisChild {
  readonly port: number;
  readonly url: string;
  /** (Re)starts the server on the same port and waits until it accepts connections. */
  start(): Promise<void>;
  /** Kills the server (SIGKILL by default: no goodbye to clients) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  running(): boolean;
}

/** True when a `redis-server` binary is on PATH; tests that need one skip loudly otherwise. */
export function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Starts a throwaway redis-server (no persistence). Never the shared one on 6379. */
export async function startRedisChild(port?: number): Promise<RedisChild> {
  const p = port ?? (await freePort());
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const self: RedisChild = {
    port: p,
    url: `redis://127.0.0.1:${p}`,
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    start: async () => {
      if (self.running()) return;
      const c = spawn(
        'redis-server',
        [
          '--port',
          String(p),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--loglevel',
          'warning',
        ],
        { stdio: 'ignore' },
      );
      child = c;
      exited = new Promise((resolve) => c.once('exit', () => resolve()));
      await waitForPort(p, 10_000, () => c.exitCode !== null);
    },
    kill: async (signal = 'SIGKILL') => {
      if (!child || !self.running()) return;
      child.kill(signal);
      await exited;
    },
  };
  await self.start();
  return self;
}

async function waitForPort(port: number, timeoutMs: number, dead: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dead()) throw new Error(`redis-server on port ${port} exited during start`);
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`redis-server on port ${port} did not start within ${timeoutMs} ms`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}
