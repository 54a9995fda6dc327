/** The largest amount one donation or split may carry: 10^10 cents (100 million in major units). */
export const MAX_CENTS = 10_000_000_000;
