// Whether an operation's failure leaves its outcome unknown: a write that got no answer to rely on
// (a timeout, a 5xx, and throttled on the way to its re-send). The person is told that it "may or
// may not have taken effect" and to check the item before acting on it again (cards/wording.ts),
// and its audit line says `mayHaveTakenEffect` (auditLine.ts). Not a write that was never sent,
// nor one Graph refused.

import {
  DomainError,
  NotSentError,
  OutOfTimeError,
  RefusedByGraphError,
  ThrottledError,
  UpstreamError,
} from './errors';

export function outcomeUnknown(error: DomainError): boolean {
  if (error instanceof ThrottledError) return error.afterUnansweredWrite;
  return (
    error instanceof UpstreamError &&
    !(error instanceof NotSentError || error instanceof RefusedByGraphError || error instanceof OutOfTimeError)
  );
}
