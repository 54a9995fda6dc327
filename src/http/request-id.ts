import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

// An incoming id is echoed into logs and headers, so only short, plain tokens are honoured.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Honours a safe incoming `x-request-id`, else generates one. */
export function genRequestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : randomUUID();
}
