// What a list card's press is answered with when that is not the list card itself: for the
// presser alone, a press that changed nothing, or for everyone, a list Teams refused to edit. An
// Action.Execute press's answer is the presser's copy of the list card, its buttons kept for a retry
// or for other rows. An Action.Submit press is answered by a message of its own below the list card
// (https://learn.microsoft.com/adaptive-cards/authoring-cards/universal-action-model#teams), which
// is no list the bot keeps for that message: a press on a button it carried would be refused. So it
// carries none: it names the row's item and what happened, and a retry is on the pressed card.
// A list that must go out as a new message (its card could not be edited) is kept and bound under
// that message's id, as a posted list is, so its buttons act.

import { InvokeResponse, TurnContext } from 'botbuilder';
import { RETRY_ON_PRESSED_CARD } from '../cards/refusalWording';
import type { Target } from '../domain/operations';
import { cardReply } from './invokeResponses';
import type { WorkItem } from '../domain/myWork';
import type { ListSnapshot } from '../state/listCards';
import { keepPosted } from './listRows';
import type { ListDeps } from './listDeps';
import { AnswerNotSentError, Reply, ReplyCards, asActivity, sendReply } from './replies';

export interface PresserNotice {
  /** The row's item; null for a page button's press. */
  readonly target: Target | null;
  readonly text: string;
  /** Whether a press again may act (a failure, the bot's storage): the answer then says where. */
  readonly retry: boolean;
  readonly style?: 'attention' | 'warning';
}

/** The answer for the presser alone: `listCard` for an invoke, else a message without buttons. */
export async function answerListPresser(
  cards: Pick<ReplyCards, 'item' | 'info'>,
  ctx: TurnContext,
  via: 'execute' | 'submit',
  listCard: () => Reply,
  notice: PresserNotice,
): Promise<InvokeResponse | undefined> {
  if (via === 'execute') return cardReply(listCard());
  const text = notice.retry ? `${notice.text} ${RETRY_ON_PRESSED_CARD}` : notice.text;
  const reply = notice.target
    ? cards.item(notice.target, { text: '', notice: text, noticeStyle: notice.style ?? 'attention', settled: true })
    : cards.info('The list did not change', text);
  await sendReply(ctx, reply);
  return undefined;
}

/** The list `kept`, shown as `reply`, posted as a new card (the pressed card could not be edited:
 * deleted meanwhile, or Teams refused), kept and bound under its own id so that its rows' and pages'
 * buttons act, as those of a list posted by its command. */
export async function postListAgain(
  deps: Pick<ListDeps, 'listCards' | 'bindings' | 'logger'>,
  ctx: TurnContext,
  kept: ListSnapshot<WorkItem>,
  reply: Reply,
): Promise<void> {
  let id: string | undefined;
  try {
    id = (await ctx.sendActivity(asActivity(reply)))?.id;
  } catch (e) {
    throw new AnswerNotSentError(reply, { cause: e });
  }
  await keepPosted(deps, ctx.activity.conversation?.id ?? '', id, kept);
}
