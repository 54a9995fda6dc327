import { AppError, Errors } from '../../errors/app-error.js';

/** The errors a move answers with, before it changes anything. */
export const MoveErrors = {
  unknownServer: (id: string) =>
    new AppError('NOT_FOUND', `There is no database server ${id} (use a server id, or "sqlite").`),
  serverNotTakingChurches: (id: string) =>
    Errors.conflict(`The database server ${id} is draining or full: it takes no church.`),
  notMovable: (status: string) =>
    Errors.conflict(`The church is ${status}: only active or suspended churches move.`),
  inProgress: (owner: string | null) =>
    Errors.conflict(
      `The church is being moved already${owner ? ` (by ${owner})` : ''}; try again when it ends.`,
    ),
};

/** A move failed part-way (and was rolled back unless said otherwise); the cause says why. */
export class MoveFailedError extends Error {
  override name = 'MoveFailedError';
}
