import http from 'node:http';
import { type ApiResponse, parseBody } from '../../test/helpers/http-api.js';

export interface TimedResponse extends ApiResponse {
  /**
   * `performance.now()` when the status line and headers had arrived: when the caller knows the
   * outcome. Reading the body stream to its end, building Headers and parsing the JSON took
   * another 0.3-0.5 ms of this client's own time after an idle wait (measured with marks).
   */
  respondedAt: number;
}

export type TimedApi = (
  method: string,
  path: string,
  body?: unknown,
  token?: string,
) => Promise<TimedResponse>;

/**
 * The benches' JSON client for the server process: node:http over a keep-alive agent. The
 * tests' client (`fetch` with an abort signal) added ~0.9 ms to each round trip here
 * (GET /api/health 1.8-2.0 ms against 0.8-1.0 ms, side by side), time the signup
 * goal would charge to the server; a bench measures the server, not its client.
 */
export function keepAliveApi(baseUrl: string, timeoutMs: number): { api: TimedApi; close(): void } {
  const agent = new http.Agent({ keepAlive: true });
  const base = new URL(baseUrl);
  const api: TimedApi = (method, path, body, token) =>
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
          const respondedAt = performance.now();
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
              respondedAt,
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
