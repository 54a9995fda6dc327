import type { components } from '../api/schema';

export type MembershipStatus = components['schemas']['MembershipStatus'];

/** Membership statuses in the words the office uses. */
export const MEMBERSHIP_LABELS: Record<MembershipStatus, string> = {
  visitor: 'Visitor',
  regular: 'Regular attender',
  member: 'Member',
  inactive: 'Inactive',
};

export const MEMBERSHIP_OPTIONS = Object.entries(MEMBERSHIP_LABELS).map(([value, label]) => ({
  value,
  label,
}));
