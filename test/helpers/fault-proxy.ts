import net from 'node:net';

/**
 * pass: forward bytes; refuse: port closed (connects get ECONNREFUSED, open connections drop);
 * reset: accept then RST, open connections reset too; blackhole: accept, hold every byte, never
 * answer (like a partition: held bytes flow again on `pass`); latency: delay each chunk.
 */
export type FaultMode = 'pass' | 'refuse' | 'reset' | 'blackhole' | 'latency';

export interface FaultProxy {
  readonly port: number;
  url(scheme?: string): string;
  mode(): FaultMode;
  setMode(mode: FaultMode, opts?: { latencyMs?: number }): Promise<void>;
  /** Open client connections through the proxy. */
  connections(): number;
  close(): Promise<void>;
}

/** One direction of a proxied connection: an ordered queue, so mode changes never reorder bytes. */
class Lane {
  private queue: Array<{ chunk: Buffer; at: number }> = [];
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly dst: net.Socket,
    private readonly proxy: { current: FaultMode; latencyMs: number },
  ) {}
  push(chunk: Buffer): void {
    const delay = this.proxy.current === 'latency' ? this.proxy.latencyMs : 0;
    this.queue.push({ chunk, at: Date.now() + delay });
    this.pump();
  }
  pump(): void {
    clearTimeout(this.timer);
    if (this.proxy.current === 'blackhole') return;
    while (this.queue.length && this.queue[0]!.at <= Date.now()) {
      if (!this.dst.destroyed) this.dst.write(this.queue.shift()!.chunk);
      else this.queue.shift();
    }
    if (this.queue.length) this.timer = setTimeout(() => this.pump(), this.queue[0]!.at - Date.now());
  }
  stop(): void {
    clearTimeout(this.timer);
    this.queue = [];
  }
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
  lanes: Lane[];
}

/** A TCP proxy on a free loopback port in front of `target`, its fault switchable at run time. */
export async function startFaultProxy(target: { host?: string; port: number }): Promise<FaultProxy> {
  const state = { current: 'pass' as FaultMode, latencyMs: 0 };
  const pairs = new Set<Pair>();
  let port = 0;

  const drop = (pair: Pair, reset: boolean) => {
    for (const l of pair.lanes) l.stop();
    if (reset) pair.client.resetAndDestroy();
    else pair.client.destroy();
    pair.upstream.destroy();
    pairs.delete(pair);
  };

  const onConnection = (client: net.Socket) => {
    client.on('error', () => {});
    if (state.current === 'reset') {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect({ host: target.host ?? '127.0.0.1', port: target.port });
    upstream.on('error', () => {});
    const pair: Pair = { client, upstream, lanes: [new Lane(upstream, state), new Lane(client, state)] };
    pairs.add(pair);
    client.on('data', (d) => pair.lanes[0]!.push(d));
    upstream.on('data', (d) => pair.lanes[1]!.push(d));
    const end = () => drop(pair, false);
    client.on('close', end);
    upstream.on('close', end);
  };

  let server: net.Server | undefined;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer(onConnection);
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as net.AddressInfo).port;
        server = s;
        resolve();
      });
    });
  const unlisten = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });

  await listen();

  return {
    get port() {
      return port;
    },
    url: (scheme = 'redis') => `${scheme}://127.0.0.1:${port}`,
    mode: () => state.current,
    setMode: async (mode, opts = {}) => {
      state.current = mode;
      state.latencyMs = opts.latencyMs ?? state.latencyMs;
      if (mode === 'refuse' || mode === 'reset') {
        const closing = mode === 'refuse' ? unlisten() : Promise.resolve();
        for (const pair of [...pairs]) drop(pair, mode === 'reset');
        await closing;
      }
      if (mode !== 'refuse' && !server) await listen();
      for (const pair of pairs) for (const l of pair.lanes) l.pump();
    },
    connections: () => pairs.size,
    close: async () => {
      for (const pair of [...pairs]) drop(pair, false);
      await unlisten();
    },
  };
}
