// A sign-in that the bot's own state store interrupted (SQLite busy or unwritable, Azure Storage
// not answering): the person's sign-in is not at fault, so they are told to try again in a moment,
// never to sign in afresh or to sign out of Teams. The reference they are given is the correlation
// id of the one error line the bot logs for it, with the store's own words (safe to log, never
// shown: they may name a file).

import { randomUUID } from 'node:crypto';
import { SignInRequiredError } from '../domain/errors';
import type { StateUnavailableError } from '../state/port';

export class SignInStoreError extends SignInRequiredError {
  /** What the store said, for the log only. */
  readonly storeProblem: string;

  constructor(cause: StateUnavailableError, correlationId: string = randomUUID()) {
    super(
      'Governance Bot could not use its own storage to complete the sign-in.',
      'stateUnavailable',
      undefined,
      correlationId,
    );
    this.storeProblem = cause.message;
  }
}
