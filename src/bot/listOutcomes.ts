// What a press of a list row's button did, in the row's words: settled for everyone, or a notice
// for the presser alone while the buttons stay.

import { GRAPH_NOT_ANSWERED, writeUnderWay } from '../cards/refusalWording';
import { endedWordsFor } from '../cards/endedWording';
import { ClickOutcome } from '../domain/click';
import { finishedMeanwhile } from '../domain/finishedMeanwhile';
import type { ReplyCards } from './replies';

export function settledOf(o: ClickOutcome): { text: string; style: 'good' | 'warning' } | null {
  if (o.kind === 'settled' || o.kind === 'superseded') return { text: o.text, style: o.style };
  // The user's own stage is decided: their row is done, though the request waits for the next stage.
  if (o.kind === 'progressed') return { text: o.text, style: 'good' };
  return null;
}

/** settledOf, and a write Graph refused because the item finished after the press's read (another
 * approver's 409): no button of the row can act on it any more, so the row settles in the race's
 * words, yellow, as a row whose read found it finished does. */
export function rowSettledOf(
  o: ClickOutcome,
  cards: ReplyCards,
  target: Parameters<ReplyCards['errorWords']>[1],
): { text: string; style: 'good' | 'warning' } | null {
  if (o.kind === 'failed' && finishedMeanwhile(o.error, target))
    return { text: cards.errorWords(o.error, target), style: 'warning' };
  return settledOf(o);
}

/** `on`: where the notice is read, the row of the presser's copy of the list (an invoke's answer)
 * or a message of its own below the pressed card (an Action.Submit press's). */
export function noticeOf(
  o: ClickOutcome,
  cards: ReplyCards,
  target: Parameters<ReplyCards['errorWords']>[1],
  on: 'row' | 'pressed card' = 'row',
): string {
  switch (o.kind) {
    case 'failed':
      return cards.errorWords(o.error, target);
    case 'busy':
      return `${o.holderName} is acting on this right now. ${writeUnderWay(on)}`;
    case 'pending':
      return `${GRAPH_NOT_ANSWERED} ${writeUnderWay(on)}`;
    case 'refused':
      return o.message;
    case 'notYours':
      return o.text;
    case 'ended':
      return endedNotice(o.endsAt, target);
    default:
      return '';
  }
}

/** A row press at or after its approval's moment (a press remembered for after a sign-in from
 * before rows refused a moment): nothing was sent, and the row says why. */
export function endedNotice(endsAt: number, target: Parameters<ReplyCards['errorWords']>[1]): string {
  const w = endedWordsFor(target.operation, endsAt, 'decision');
  return `${w.title}. ${w.what} Nothing was sent to Microsoft Graph: a decision after that moment is not taken.`;
}
