// A press answered after the moment the card's approval ends (Target.endsAt, the event's
// approvalExpiresDateTime, or a PIM request's createdDateTime + 24 h): the clicker's card loses its buttons and says the approval time ended, in
// the ended card's words (endedWording.ts), with what the press met first. An access package stage
// still pending then is denied automatically
// (https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage) and a PIM request
// expires (pim-approval-workflow), so a retry button
// would only offer a decision Graph no longer takes.

import { endedWordsFor } from '../cards/endedWording';
import { GRAPH_NOT_ANSWERED } from '../cards/refusalWording';
import { explain } from '../cards/wording';
import { STILL_DECIDED } from '../domain/catalog/approvals';
import { ClickOutcome } from '../domain/click';
import { AdminCenterOnlyError, DomainError, SignInRequiredError, StageReadRefusedError } from '../domain/errors';
import { CATALOG, Target } from '../domain/operations';
import { finishedMeanwhile } from '../domain/finishedMeanwhile';
import { outcomeUnknown } from '../domain/unknownOutcome';
import { Reply, ReplyCards } from './replies';

/** Answers for the clicker alone that would keep the buttons for a retry. A write refused for an
 * item finished meanwhile keeps none: it is answered as a read finding it finished (clickAnswers.ts). */
export function keepsButtons(outcome: ClickOutcome, target: Target): boolean {
  if (outcome.kind === 'failed')
    return !(outcome.error instanceof AdminCenterOnlyError) && !finishedMeanwhile(outcome.error, target);
  return outcome.kind === 'notYours' || outcome.kind === 'busy' || outcome.kind === 'pending';
}

/** What such an answer would have said, as the ended card says it. */
export function keptNotice(target: Target, outcome: ClickOutcome): string {
  // Not "its approvers can still decide it": this card decides nothing any more.
  if (outcome.kind === 'notYours') return outcome.text.replace(` ${STILL_DECIDED}`, '');
  if (outcome.kind === 'busy') return `${outcome.holderName} is acting on this right now.`;
  if (outcome.kind === 'pending') return GRAPH_NOT_ANSWERED;
  return outcome.kind === 'failed' ? failedWords(target, outcome.error) : '';
}

/** A failure in the ended card: what happened, not what to do again. The card has no button, and
 * no decision is taken after the moment, so "press the button again", "sign in", "try again in 30 s"
 * or "approve it in the admin center" would send the person to a dead end. Only a write whose
 * outcome is unknown keeps its advice: to check the item before acting on it elsewhere. */
function failedWords(target: Target, error: DomainError): string {
  // Graph's 401: the call carried a token Graph refused, so it did nothing
  // (https://learn.microsoft.com/graph/errors#http-status-codes); the token is forgotten
  // (tokenToForget), so the person's next command asks them to sign in.
  if (error instanceof SignInRequiredError && error.graph.status === 401)
    return 'Microsoft Graph did not accept your sign-in (it may have expired or been revoked), so your decision was not taken.';
  const w = explain(error, CATALOG[target.operation], target, 'button');
  // Their titles name a way on that is closed now: signing in, or deciding in My Access or the
  // admin center (a refused stage read), where past the moment nothing is left to decide.
  if (error instanceof SignInRequiredError || error instanceof StageReadRefusedError) return w.what;
  return outcomeUnknown(error) ? `${w.title}. ${w.what} ${w.next}` : `${w.title}. ${w.what}`;
}

/** The ended card for the clicker: no buttons; `before`, what this press met first. */
export function endedCard(cards: ReplyCards, target: Target, before: string): Reply {
  const w = endedWordsFor(target.operation, target.endsAt ?? 0, 'decision');
  return cards.item(target, {
    text: '',
    notice: `${w.title}. ${w.what} ${before ? `${before} ` : ''}${w.next}`,
    noticeStyle: 'warning',
    settled: true,
  });
}
