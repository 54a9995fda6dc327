import Database from 'better-sqlite3';

/**
 * The worker-thread entry (piscina): copies a SQLite file's write-ahead log into the database
 * through a connection of its own (PASSIVE: never waits for a reader or writer), so the fsyncs
 * of that copy happen on this thread. The caller still holds its connection, so closing this
 * one is never the last close and leaves the -wal and -shm files to the caller.
 */
export default function checkpoint(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('wal_checkpoint(PASSIVE)');
  } finally {
    db.close();
  }
}
