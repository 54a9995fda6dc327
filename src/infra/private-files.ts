import fs from 'node:fs';

/**
 * Steeple's files hold password hashes, tokens' secret and people's personal data: directories
 * it makes are 0700 and files 0600 (owner only), whatever the umask. SQLite gives a database's
 * -wal and -shm files the mode of the database file itself.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Makes a directory (and any missing parents) readable by the owner only. */
export function makePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Creates an empty file readable by the owner only, unless it exists (then leaves it as it is). */
export function createPrivateFile(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
}
