import { Errors } from '../../errors/app-error.js';

/** Errors of the giving module (funds, batches, donations, statements). */
export const GivingErrors = {
  fundNotFound: () => Errors.notFound('fund'),
  batchNotFound: () => Errors.notFound('batch'),
  donationNotFound: () => Errors.notFound('donation'),
  personNotFound: () => Errors.notFound('person'),
  householdNotFound: () => Errors.notFound('household'),
  fundNameTaken: () => Errors.conflict('A fund with this name already exists.'),
  fundInUse: () => Errors.conflict('The fund has donations; it cannot be deleted.'),
  fundTaxStatusLocked: () =>
    Errors.conflict('The fund has committed donations; its tax-deductible status can no longer change.'),
  batchCommitted: () =>
    Errors.conflict('The batch is committed: it and its donations can no longer change. Reverse instead.'),
  batchNotEmpty: () => Errors.conflict('The batch still has donations; it cannot be deleted.'),
  alreadyReversed: () => Errors.conflict('The donation has already been reversed.'),
  isReversal: () => Errors.conflict('A reversal cannot be edited or reversed; delete it instead.'),
  hasReversal: () => Errors.conflict('The donation has been reversed; it can no longer change.'),
  invalid: (path: string, message: string) => Errors.validation([{ path, message }]),
};
