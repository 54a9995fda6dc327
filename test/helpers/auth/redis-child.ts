import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { freePort } from '../process.js';

/** A `redis-server` child on a free loopback port, with no persistence, that a test may kill. */
export interface RedisChild {
  url: string;
  port: number;
  start(): Promise<void>;
  kill(): Promise<void>;
}

export async function redisChild(): Promise<RedisChild> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const self: RedisChild = {
    url: `redis://127.0.0.1:${port}`,
    port,
    start: async () => {
      child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        {
          stdio: 'ignore',
        },
      );
      const deadline = Date.now() + 5000;
      while (!(await listening(port))) {
        if (Date.now() > deadline) throw new Error('redis-server did not start');
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    kill: async () => {
      const c = child;
      if (!c || c.exitCode !== null) return;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await exited;
    },
  };
  return self;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}
