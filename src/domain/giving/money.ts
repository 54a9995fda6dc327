import { CentsValue } from '../../http/openapi/schema-helpers.js';

/** The largest amount one donation or split may carry: 10^10 cents (100 million in major units). */
export const MAX_CENTS = 10_000_000_000;

/**
 * A positive amount in integer cents. Bodies are validated without coercion, so a float, a
 * string, zero or a negative number is a 400 before any service code runs.
 */
export const Cents = CentsValue({ minimum: 1, maximum: MAX_CENTS });
