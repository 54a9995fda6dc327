import type { Insertable, Selectable, Updateable } from 'kysely';

export const DONATION_METHODS = ['cash', 'check', 'card', 'ach', 'other'] as const;
export type DonationMethod = (typeof DONATION_METHODS)[number];

export interface DonationsTable {
  id: string;
  person_id: string | null;
  household_id: string | null;
  batch_id: string | null;
  /** Set on a reversal: the donation it cancels (unique: one reversal per donation). */
  reverses_id: string | null;
  /** YYYY-MM-DD */
  received_on: string;
  method: DonationMethod;
  check_number: string | null;
  note: string | null;
  /** Signed sum of the splits, in cents; negative on a reversal. */
  amount_cents: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}
export type DonationRow = Selectable<DonationsTable>;
export type NewDonationRow = Insertable<DonationsTable>;
export type DonationUpdate = Updateable<DonationsTable>;

/** One fund's share of a donation; a single-fund gift has one split at position 0. */
export interface DonationSplitsTable {
  donation_id: string;
  position: number;
  fund_id: string;
  amount_cents: number;
}
export type DonationSplitRow = Selectable<DonationSplitsTable>;

declare module '../../tenancy/tenant-database.js' {
  interface TenantDatabase {
    donations: DonationsTable;
    donation_splits: DonationSplitsTable;
  }
}
