import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../helpers/config.js';
import { CLI_FROM_SOURCES, ROOT } from '../../helpers/process.js';

const data = tempDataDir();
afterAll(() => data.cleanup());

function steeple(args: string[], input?: string) {
  const res = spawnSync(process.execPath, [...CLI_FROM_SOURCES, ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    env: { ...process.env, DATA_DIR: data.dir, LOG_LEVEL: 'error', NODE_ENV: 'test' },
    timeout: 60_000,
  });
  return { code: res.status, out: res.stdout.trim(), err: res.stderr.trim() };
}

describe('steeple church lifecycle commands (real CLI)', () => {
  it('creates, suspends, resumes, exports and deletes a church; bad input exits 1', () => {
    const created = steeple(
      [
        'tenants',
        'create',
        '--name',
        'Grace',
        '--slug',
        'cli-grace',
        '--admin-email',
        'a@b.example',
        '--admin-name',
        'Ana',
      ],
      'long enough password\n',
    );
    expect(created.code, created.err).toBe(0);
    expect(created.out).toMatch(/ cli-grace {2}ready$/);
    const tenantId = created.out.split(/\s+/)[0]!;

    expect(steeple(['tenants', 'suspend', 'cli-grace']).out).toMatch(/suspended$/);
    expect(steeple(['tenants', 'resume', tenantId]).out).toMatch(/active$/);
    const exported = steeple(['tenants', 'export', 'cli-grace']).out;
    expect(JSON.parse(fs.readFileSync(exported, 'utf8'))).toBeTruthy();

    const deleted = steeple(['tenants', 'delete', 'cli-grace', '--now']);
    expect(deleted.out).toMatch(/deleted {2}export: /);
    expect(fs.existsSync(path.join(data.dir, 'tenants', `${tenantId}.db`))).toBe(false);

    const missing = steeple(['tenants', 'suspend', 'cli-grace']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/NOT_FOUND/);
    const badSlug = steeple(
      [
        'tenants',
        'create',
        '--name',
        'X',
        '--slug',
        'admin',
        '--admin-email',
        'a@b.example',
        '--admin-name',
        'A',
      ],
      'long enough password\n',
    );
    expect(badSlug.code).toBe(1);
    expect(badSlug.err).toMatch(/\/body\/church\/slug is reserved/);
  }, 240_000);

  it('adds, lists and drains servers without printing credentials; a rotated password updates the server', () => {
    const added = steeple([
      'servers',
      'add',
      'postgres://postgres:secret@127.0.0.1:5432/postgres',
      '--capacity',
      '7',
    ]);
    expect(added.code, added.err).toBe(0);
    const id = added.out.split(/\s+/)[0]!;
    expect(steeple(['servers', 'drain', id]).out).toMatch(/draining$/);
    const listed = steeple(['servers', 'list', '--json']);
    expect(JSON.parse(listed.out)).toMatchObject({
      id,
      host: '127.0.0.1:5432',
      status: 'draining',
      capacity: 7,
    });
    expect(listed.out + added.out).not.toMatch(/secret/);

    // A new password for the same role, host and database is the same server: its URL is
    // replaced (credential rotation), no second server appears, and its state is kept.
    const rotated = steeple(['servers', 'add', 'postgres://postgres:rotated@127.0.0.1:5432/postgres']);
    expect(rotated.code, rotated.err).toBe(0);
    expect(rotated.out.split(/\s+/)[0]).toBe(id);
    expect(rotated.out).not.toMatch(/rotated/);
    const catalog = new Database(path.join(data.dir, 'catalog.db'), { readonly: true });
    expect(catalog.prepare('select url from db_servers where id = ?').get(id)).toEqual({
      url: 'postgres://postgres:rotated@127.0.0.1:5432/postgres',
    });
    catalog.close();
    const after = steeple(['servers', 'list', '--json']).out.trim().split('\n');
    expect(after.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ id, status: 'draining', capacity: 7 }),
    ]);
    // Another database on that host is another server.
    const other = steeple(['servers', 'add', 'postgres://postgres:rotated@127.0.0.1:5432/other']);
    expect(other.out.split(/\s+/)[0]).not.toBe(id);
  }, 240_000);
});
