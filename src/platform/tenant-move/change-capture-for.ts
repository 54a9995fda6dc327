import { isPostgres } from '../../infra/db/schema-introspection.js';
import type { ChangeCapture } from './change-capture.js';
import { postgresChangeCapture } from './postgres-change-capture.js';
import { sqliteChangeCapture } from './sqlite-change-capture.js';
import type { AnyDb } from './table-rows.js';

/** The change capture for the engine `db` talks to. */
export function changeCaptureFor(db: AnyDb): ChangeCapture {
  return isPostgres(db) ? postgresChangeCapture : sqliteChangeCapture;
}
