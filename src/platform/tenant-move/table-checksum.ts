import { hash } from 'node:crypto';
import type { Row } from './table-rows.js';

/** One value as both engines agree on it: blobs as base64, everything else as JSON has it. */
function canonical(v: unknown): unknown {
  if (v instanceof Uint8Array) return { b64: Buffer.from(v).toString('base64') };
  if (typeof v === 'bigint') return Number(v);
  return v ?? null;
}

/** SHA-256 of a row's values in the given column order. */
export function rowDigest(columns: readonly string[], row: Row): Buffer {
  return hash('sha256', JSON.stringify(columns.map((c) => canonical(row[c]))), 'buffer');
}

/**
 * A table's row count and checksum: two 64-bit sums of its rows' SHA-256 digests (the digest's
 * first and second eight bytes). A sum does not depend on the order rows are read in, which
 * differs between engines (PostgreSQL sorts text keys by its collation, SQLite by bytes).
 */
export class TableChecksum {
  private lo = 0n;
  private hi = 0n;
  rows = 0;

  constructor(private readonly columns: readonly string[]) {}

  add(row: Row): void {
    const d = rowDigest(this.columns, row);
    this.lo = BigInt.asUintN(64, this.lo + d.readBigUInt64LE(0));
    this.hi = BigInt.asUintN(64, this.hi + d.readBigUInt64LE(8));
    this.rows++;
  }

  get value(): string {
    return `${this.rows}:${this.hi.toString(16).padStart(16, '0')}${this.lo.toString(16).padStart(16, '0')}`;
  }
}
