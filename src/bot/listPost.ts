// A typed list command's card ("my approvals", "my requests"): read the signed-in user's list as
// them, post one card with a row per request and bind the card to the rows it shows. A command
// given up at shutdown while it read posts no list and says so, unless its redelivery has begun.

import type { TurnContext } from 'botbuilder';
import type { ListName } from '../domain/myWork';
import { firstSnapshot, readOn, refusedSignIn } from './listPages';
import { listCard } from './listCards';
import type { ListDeps } from './listDeps';
import { keepPosted } from './listRows';
import { notPosted } from './listWords';
import { asActivity, sendReply } from './replies';
import { givenUpAnswer } from './turnMark';

/**
 * Reads the signed-in user's list as them, posts its card and binds its rows. When Graph refuses
 * the token (401: expired or revoked), it is forgotten, as after a refused write, so the next
 * try signs in afresh; with `askAgain` (a typed command, not the run after a sign-in that just
 * completed, which would ask again and again) the Sign in card comes instead of the list, which
 * is posted after the sign-in.
 */
export async function postList(
  deps: ListDeps,
  ctx: TurnContext,
  list: ListName,
  aad: string,
  askAgain: boolean,
  now: () => number,
): Promise<void> {
  const { signIn } = deps;
  const readAt = now();
  const { fetched, emptyPages } = await readOn(deps, list, aad);
  if (refusedSignIn(fetched)) signIn.forgetToken(aad);
  // Given up at shutdown while it read: no card and nothing kept for after sign-in; it says the
  // list was not posted unless its redelivery, which posts the list, has begun. Else the turn
  // keeps its mark from here: the card goes out once.
  const standing = await givenUpAnswer(ctx, deps.turns, deps.logger);
  if (standing === 'redelivered') return;
  if (standing === 'unanswered') return sendReply(ctx, deps.cards.info('List not posted', notPosted(list)));
  if (refusedSignIn(fetched) && askAgain && !signIn.silent) return deps.commands.askToSignIn(ctx, aad, list);
  const snapshot = firstSnapshot(list, aad, ctx.activity.from?.name, fetched, readAt, emptyPages);
  const sent = await ctx.sendActivity(asActivity(listCard(snapshot, now())));
  await keepPosted(deps, ctx.activity.conversation?.id ?? '', sent?.id, snapshot);
}
