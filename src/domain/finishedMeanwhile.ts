// A press whose read found its item open, whose write Graph then refused because the item had
// finished meanwhile (another approver's 409 between the read and the write, a request cancelled
// elsewhere, an approval expired): what the refusal learnt is what a read finding the item
// finished would have learnt, so the press is answered as one (clickRead.ts, graphStateOutcome):
// no card's buttons can act on it any more.

import { DecidedElsewhereError, DomainError, InvalidStateError, AdminCenterOnlyError } from './errors';
import { CATALOG, Target, stateIn } from './operations';

/** Whether the failed write's error shows the item finished for good, for every reader of its card.
 * Not when a later stage still waits for its approvers (their buttons work; a read finding that
 * answers the presser alone), nor when the presser's own next stage is open (the card's buttons
 * decide it), nor a state Graph did not name or one still open (a failure, retried by a press). */
export function finishedMeanwhile(error: DomainError, target: Target): boolean {
  const spec = CATALOG[target.operation];
  if (error instanceof DecidedElsewhereError) return !error.laterStageWaits && !error.ownStageOpen;
  // An extension or renewal still waits, in the admin center: its own card says so (clickAnswers.ts).
  if (!(error instanceof InvalidStateError) || error instanceof AdminCenterOnlyError) return false;
  const state = error.currentState;
  if (state === null || stateIn(state, spec.allowedStates)) return false;
  // Another stage's approvers, or the reader's stage not started: theirs to decide, not finished.
  return spec.read.notForReader?.[state] === undefined;
}
