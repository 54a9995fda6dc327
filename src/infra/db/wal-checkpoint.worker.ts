import Database from 'better-sqlite3';

/**
 * The worker-thread entry (piscina): copies a SQLite file's write-ahead log into the database
 * through a connection of its own, so the fsyncs of that copy happen on this thread. TRUNCATE
 * also empties the log file: the caller's close then deletes an empty file, which costs a
 * fraction of deleting one still holding the copied frames. The caller still holds its
 * connection, so closing this one is never the last close and leaves -wal and -shm to it.
 */
export default function checkpoint(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    // Waits (here, off the event loop) for a reader of the same church to finish; past it the
    // checkpoint reports busy and the caller's close does the rest.
    db.pragma('busy_timeout = 1000');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}
