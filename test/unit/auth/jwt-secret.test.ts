import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JWT_SECRET_FILE, resolveJwtSecret } from '../../../src/auth/jwt-secret.js';
import { tempDataDir } from '../../helpers/config.js';

describe('JWT secret', () => {
  it('uses JWT_SECRET when set', () => {
    const secret = 'x'.repeat(40);
    const key = resolveJwtSecret({ auth: { jwtSecret: secret } as never, dataDir: '/nonexistent' });
    expect(new TextDecoder().decode(key)).toBe(secret);
  });

  it('otherwise generates one in DATA_DIR (mode 0600) and keeps it across restarts', () => {
    const data = tempDataDir();
    try {
      const cfg = { auth: { jwtSecret: undefined } as never, dataDir: data.dir };
      const first = resolveJwtSecret(cfg);
      const file = path.join(data.dir, JWT_SECRET_FILE);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect(Buffer.from(resolveJwtSecret(cfg)).equals(Buffer.from(first))).toBe(true);
    } finally {
      data.cleanup();
    }
  });
});
