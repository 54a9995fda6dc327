import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../infra/logger.js';
import { makePrivateDir } from '../infra/private-files.js';

export const JWT_SECRET_FILE = 'jwt-secret';

/**
 * The HS256 key. From JWT_SECRET when set (required in production by config); otherwise a random
 * secret kept in DATA_DIR (mode 0600) so a development restart keeps everyone's session.
 */
export function resolveJwtSecret(config: Pick<Config, 'auth' | 'dataDir'>, log?: Logger): Uint8Array {
  if (config.auth.jwtSecret) return new TextEncoder().encode(config.auth.jwtSecret);
  const file = path.join(config.dataDir, JWT_SECRET_FILE);
  makePrivateDir(config.dataDir);
  try {
    // 'wx' fails when the file exists, so two processes starting together agree on one secret.
    fs.writeFileSync(file, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
    log?.warn({ file }, 'JWT_SECRET is not set: generated one and kept it in DATA_DIR');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${file} holds a secret shorter than 32 characters`);
  return new TextEncoder().encode(secret);
}
