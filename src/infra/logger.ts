import { pino, type Logger } from 'pino';

export type { Logger };

// Secrets that could ride along in logged objects; pino replaces them before writing.
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.passwordHash',
  '*.refreshToken',
  '*.accessToken',
  '*.url',
  '*.connectionString',
];

/** The process logger: JSON lines, secrets redacted. */
export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { service: 'steeple' } });
}
