// A list card's row press as the card-action service sees it, and the checks it passes before it
// may sign in or act: a press as it arrives (listTurns.ts click) and one that waited for its
// presser's sign-in (rowAfterSignIn) alike.

import type { CardActionService, HoldLine } from '../domain/cardAction';
import type { Click } from '../domain/click';
import { BadInputError, InvalidStateError, NotPermittedError } from '../domain/errors';
import type { Actor } from '../domain/governance';
import type { WorkItem } from '../domain/myWork';
import type { Target } from '../domain/operations';
import type { ListSnapshot } from '../state/listCards';
import { notOwnersPress } from './listOwner';
import { endedNotice } from './listOutcomes';
import { LIST_CHANGED, shownOnPage } from './listRows';
import { listCommandAgain } from './listWords';
import { shownUserName } from './turnUser';

export interface RowPress {
  readonly target: Target;
  readonly conversationId: string;
  readonly cardId: string | undefined;
  readonly actor: Actor;
  readonly userName: string | undefined;
  /** How it came: `execute` or `submit`. */
  readonly via: string;
  readonly arrivedAt: number;
}

/** The click of a row press on the list card `kept` (null: no longer kept). */
export function rowClick(press: RowPress, kept: ListSnapshot<WorkItem> | null): Click {
  // A row's buttons cannot name the approval stage it showed (the approver list names requests):
  // the time its rows were read tells which of the clicker's earlier decisions it showed.
  const readAt = kept?.readAt;
  return {
    target: press.target,
    conversationId: press.conversationId,
    cardActivityId: press.cardId,
    actor: press.actor,
    userName: shownUserName(press.userName) ?? 'someone',
    audit: { via: `list.${press.via}`, activityId: press.cardId ?? null },
    ...(readAt !== undefined ? { cardReadAt: readAt } : {}),
    arrivedAt: press.arrivedAt,
  };
}

/** Why the row press may not act (audited), or null: the presser must be the list's owner, the
 * card the bot's and show the row, its rows still kept, and the row on the page kept (else
 * LIST_CHANGED). Anyone else is refused before anything is written; the owner's press then binds
 * the card to the page kept (`bind`: a page turn's binding that failed) before the binding check,
 * one more read per press. `list` names the list for the words; `hold` takes the refusal's line
 * when given (a press Teams re-sent after a sign-in: resentToken.ts HeldLines). */
export async function rowRefusal(
  actions: Pick<CardActionService<unknown>, 'refusal' | 'recordRefusal'>,
  click: Click,
  kept: ListSnapshot<WorkItem> | null,
  list: unknown,
  bind: (kept: ListSnapshot<WorkItem>) => Promise<void>,
  hold?: HoldLine,
): Promise<string | null> {
  const notOwners = kept ? notOwnersPress(kept, click.actor.aadObjectId) : null;
  if (notOwners) {
    actions.recordRefusal(click, new NotPermittedError(notOwners), { refused: 'notListOwner' }, hold);
    return notOwners;
  }
  if (click.cardActivityId && kept) await bind(kept);
  const refused = await actions.refusal(click, hold);
  if (refused?.kind === 'refused') return refused.message;
  // Past its approval's moment: audited by refusal() already, so answered here, not acted on again.
  if (refused?.kind === 'ended') return endedNotice(refused.endsAt, click.target);
  // The card's rows are known only while its snapshot is kept (14 days; its binding, 90): past
  // that the click is refused before anything can reach Graph, and audited as any refused click.
  if (!click.cardActivityId || !kept) {
    const tooOld = `This list is too old to act on. ${listCommandAgain(list, 'new list')}`;
    actions.recordRefusal(click, new BadInputError(tooOld), { refused: 'listExpired' }, hold);
    return tooOld;
  }
  // A row bound but not on the page kept (a page turn kept, not bound): nothing acts (listRows.ts),
  // and the caller shows the list as kept under these words.
  if (!shownOnPage(kept, click.target)) {
    actions.recordRefusal(click, new InvalidStateError(LIST_CHANGED, null), { refused: 'listChanged' }, hold);
    return LIST_CHANGED;
  }
  return null;
}
