// Which rows a list card's buttons may act on. The list kept for the card (state/listCards.ts) is
// what the card shows: every edit for everyone is made from it. The card's binding
// (state/cardBindings.ts) is written after it, a second write that can fail, or never happen when
// the process ends between the two: a page turn whose list was kept but not bound leaves a card
// whose new rows are refused and whose old rows, still pressable on a copy not yet edited, would
// act while the card says nothing of them. So a row acts only when it is on the kept list's page,
// and a press on a row of that page binds the card to it first, as the page turn would have.

import type { Logger } from 'pino';
import { cardShows } from '../domain/cardActionPorts';
import { Target } from '../domain/operations';
import { WorkItem, targetOf } from '../domain/myWork';
import type { BoundItem, CardBindings } from '../state/cardBindings';
import type { ListCards, ListSnapshot } from '../state/listCards';
import { pageOf } from './listCards';

/** The rows of the page the kept list shows, as the card's binding holds them. */
export function rowsShown(kept: ListSnapshot<WorkItem>): BoundItem[] {
  return pageOf(kept).map((item) => {
    const t = targetOf(kept.list, item);
    return { operation: t.operation, ids: { ...t.ids } };
  });
}

/** Is `target` a row of the page the kept list shows? */
export function shownOnPage(kept: ListSnapshot<WorkItem>, target: Target): boolean {
  return cardShows(rowsShown(kept), target);
}

/** Binds the card to the rows of the page of `kept`, ranked by its revision: a binding from a newer
 * list stays (two page turns at once: the newer revision wins), and one that already holds these
 * rows is not written again. True when the card is bound to this page's rows (or a newer one's). */
export function bindShown(
  bindings: Pick<CardBindings, 'bindPage'>,
  conversationId: string,
  activityId: string,
  kept: ListSnapshot<WorkItem>,
): Promise<boolean> {
  return bindings.bindPage(conversationId, activityId, rowsShown(kept), kept.revision ?? 0);
}

/** Keeps the list, then binds the card to the rows of its page as kept, ranked by the revision
 * the list took: whichever of two page turns at once binds last, the card is bound to the page of
 * the newer list, the one shown for everyone. The list the card shows: as kept, or, when the
 * other turn's newer list stayed bound, as kept now (so the presser's copy shows the rows bound). */
export async function keepBound(
  deps: { readonly listCards: ListCards<WorkItem>; readonly bindings: Pick<CardBindings, 'bindPage'> },
  conversationId: string,
  activityId: string,
  s: ListSnapshot<WorkItem>,
): Promise<ListSnapshot<WorkItem>> {
  const kept = await deps.listCards.save(conversationId, activityId, s);
  if (await bindShown(deps.bindings, conversationId, activityId, kept)) return kept;
  return (await deps.listCards.get(conversationId, activityId)) ?? kept;
}

/** Keeps and binds (keepBound) a list card just posted as the message `activityId`; a channel that
 * gave no id for it leaves it unbound, its buttons unable to act, which the log says. */
export async function keepPosted(
  deps: {
    readonly listCards: ListCards<WorkItem>;
    readonly bindings: Pick<CardBindings, 'bindPage'>;
    readonly logger: Logger;
  },
  conversationId: string,
  activityId: string | undefined,
  s: ListSnapshot<WorkItem>,
): Promise<void> {
  if (!activityId) {
    deps.logger.warn({ event: 'list.unbound' }, 'the channel gave no id for the list card; its buttons cannot act');
    return;
  }
  await keepBound(deps, conversationId, activityId, s);
}

/** Binds the card to the page kept when `target` is one of its rows (a page turn's binding that
 * failed is made up for by the first press on its page); a store that refuses leaves the binding as
 * it was, and the press is judged by it and by the page kept. */
export async function bindIfShown(
  deps: { readonly bindings: Pick<CardBindings, 'bindPage'>; readonly logger: Logger },
  conversationId: string,
  activityId: string,
  kept: ListSnapshot<WorkItem>,
  target: Target,
): Promise<void> {
  if (!shownOnPage(kept, target)) return;
  await bindShown(deps.bindings, conversationId, activityId, kept).catch((e: unknown) =>
    deps.logger.warn({ event: 'list.rebindFailed', err: (e as Error)?.name }, 'a list card could not be bound'),
  );
}

/** The line that answers a press on a row the list no longer shows, above the list as it is now. */
export const LIST_CHANGED =
  'This list changed since that row was shown: nothing was done. Here it is as it is now; press the row again if it is still here.';
