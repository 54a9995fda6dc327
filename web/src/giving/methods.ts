import type { components } from '../api/schema';

export type DonationMethod = components['schemas']['DonationMethod'];

/** Payment methods in office words, checks first (the common case in batch entry). */
export const METHOD_LABELS: Record<DonationMethod, string> = {
  check: 'Check',
  cash: 'Cash',
  card: 'Card',
  ach: 'Bank transfer',
  other: 'Other',
};
export const METHOD_OPTIONS = Object.entries(METHOD_LABELS).map(([value, label]) => ({ value, label }));
