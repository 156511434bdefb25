// A press answered after the moment the card's approval ends (Target.endsAt, the event's
// approvalExpiresDateTime, or a PIM request's createdDateTime + 24 h): the clicker's card loses its buttons and says the approval time ended, in
// the ended card's words (endedWording.ts), with what the press met first. An access package stage
// still pending then is denied automatically
// (https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage) and a PIM request
// expires (pim-approval-workflow), so a retry button
// would only offer a decision Graph no longer takes.

import { endedWordsFor } from '../cards/endedWording';
import { GRAPH_NOT_ANSWERED } from '../cards/refusalWording';
import { ClickOutcome } from '../domain/click';
import { AdminCenterOnlyError } from '../domain/errors';
import { CATALOG, Target } from '../domain/operations';
import { Reply, ReplyCards } from './replies';

/** Answers for the clicker alone that would keep the buttons for a retry. */
export function keepsButtons(outcome: ClickOutcome): boolean {
  if (outcome.kind === 'failed') return !(outcome.error instanceof AdminCenterOnlyError);
  return outcome.kind === 'notYours' || outcome.kind === 'busy' || outcome.kind === 'pending';
}

/** What such an answer would have said. */
export function keptNotice(cards: ReplyCards, target: Target, outcome: ClickOutcome): string {
  if (outcome.kind === 'notYours') return outcome.text;
  if (outcome.kind === 'busy') return `${outcome.holderName} is acting on this right now.`;
  if (outcome.kind === 'pending') return GRAPH_NOT_ANSWERED;
  return outcome.kind === 'failed' ? cards.errorWords(outcome.error, target) : '';
}

/** The ended card for the clicker: no buttons; `before`, what this press met first. */
export function endedCard(cards: ReplyCards, target: Target, before: string): Reply {
  const w = endedWordsFor(target.operation, target.endsAt ?? 0, 'decision');
  return cards.item(target, {
    text: `${CATALOG[target.operation].title}.`,
    notice: `${w.title}. ${w.what} ${before ? `${before} ` : ''}${w.next}`,
    noticeStyle: 'warning',
    settled: true,
  });
}
