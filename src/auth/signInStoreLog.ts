// The one error line of a sign-in that the bot's own state store interrupted (reason
// `stateUnavailable`, signInStoreError.ts): its correlation id is the reference the person was
// given, with the store's own words; never a token.

import type { Logger } from 'pino';
import type { SignInRequiredError } from '../domain/errors';
import { SignInStoreError } from './signInStoreError';

/** Logs it, at error level, when the store was at fault; true then (the caller logs nothing more). */
export function loggedStoreFailure(logger: Logger, event: string, error: SignInRequiredError): boolean {
  if (error.reason !== 'stateUnavailable') return false;
  logger.error(
    {
      event,
      reason: error.reason,
      correlationId: error.correlationId,
      ...(error instanceof SignInStoreError ? { store: error.storeProblem } : {}),
    },
    'the state store failed during a sign-in; the person was told to try again in a moment',
  );
  return true;
}
