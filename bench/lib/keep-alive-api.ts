import http from 'node:http';
import { type Api, parseBody } from '../../test/helpers/http-api.js';

/**
 * The benches' JSON client for the server process: node:http over a keep-alive agent. The
 * tests' client (`fetch` with an abort signal) added ~0.9 ms to each round trip here
 * (GET /api/health 1.8-2.0 ms against 0.8-1.0 ms, side by side, 2026-11-29), time the signup
 * goal would charge to the server; a bench measures the server, not its client.
 */
export function keepAliveApi(baseUrl: string, timeoutMs: number): { api: Api; close(): void } {
  const agent = new http.Agent({ keepAlive: true });
  const base = new URL(baseUrl);
  const api: Api = (method, path, body, token) =>
    new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(
        {
          host: base.hostname,
          port: base.port,
          path,
          method,
          agent,
          headers: {
            ...(data === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const headers = new Headers();
            for (const [k, v] of Object.entries(res.headers))
              if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
            resolve({
              status: res.statusCode ?? 0,
              body: parseBody(Buffer.concat(chunks).toString('utf8')),
              headers,
            });
          });
        },
      );
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(data);
    });
  return { api, close: () => agent.destroy() };
}
