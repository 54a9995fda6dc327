import { AppError } from '../../errors/app-error.js';
import { MEMBERSHIP_STATUSES, type MembershipStatus } from '../people/people.table.js';
import { parsePairs } from './column-mapping.js';
import type { DateOrder } from './import-dates.js';

export const ON_ERROR = ['abort', 'skip'] as const;
export type OnError = (typeof ON_ERROR)[number];

/** What a request (or a background job) asks of an import, shared by people and giving. */
export interface ImportOptions {
  dryRun: boolean;
  /** abort: any bad row rejects the file and nothing is written; skip: good rows land. */
  onError: OnError;
  /** A preset name; detected from the header row when left out. */
  preset?: string;
  dateOrder?: DateOrder;
  /** `Header=field` pairs that override or extend the preset. */
  map?: string[];
  /** `Word=status` pairs added to the status table (people). */
  status?: string[];
  /** External-id source; the preset's system when left out. */
  source?: string;
  /** Create funds the file names that do not exist yet (giving). */
  createFunds?: boolean;
}

/** The request's status words, checked. */
export function statusOverrides(pairs: readonly string[] | undefined) {
  return parsePairs(pairs, 'status').map((p) => {
    if (!(MEMBERSHIP_STATUSES as readonly string[]).includes(p.value))
      throw new AppError('VALIDATION_FAILED', 'A status mapping names an unknown status.', {
        errors: [
          {
            path: `/query/status/${p.index}`,
            message: `must end in one of ${MEMBERSHIP_STATUSES.join(', ')}`,
          },
        ],
      });
    return { word: p.name, status: p.value as MembershipStatus };
  });
}

/** Progress a long import reports as it goes (the background job stores it). */
export interface ImportProgress {
  /** checking: reading and validating every row; writing: the real run. */
  phase: 'checking' | 'writing';
  rowsDone: number;
}
export type OnProgress = (p: ImportProgress) => Promise<void> | void;
