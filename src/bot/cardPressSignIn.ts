// Whether the presser of a notification card's button is signed in, and the sign-in it asks for
// when not, remembering the press (with its card: pressedCard.ts) to run after it as a click. A
// press the bot's state store fails here (the sign-out mark not read, the press not remembered)
// ends as a typed command does (commandStoreDown.ts): its card for the presser, buttons kept.

import { InvokeResponse, TurnContext } from 'botbuilder';
import { pageReason } from '../auth/sso';
import type { Subject } from '../auth/tokenSubject';
import { loggedStoreFailure } from '../auth/signInStoreLog';
import type { TokenResolution } from '../auth/signInResults';
import type { Click } from '../domain/click';
import { pressRefused, pressStoreDown } from './commandStoreDown';
import type { CardClickDeps, Via } from './cardClicks';
import { asked } from './invokeResponses';
import { resentWithState } from './resentPress';
import { resentWithToken } from './resentToken';

/**
 * True when the clicker holds a token now (or Teams re-sent the click with the state of the
 * sign-in pages, resentPress.ts, or with their SSO token, resentToken.ts); otherwise the answer
 * that asks for one (a loginRequest for Action.Execute; undefined once the Sign in card was sent
 * for Action.Submit), or `failed`, the card that says why a silent sign-in failed for good or the
 * store failed (its audit line written).
 */
export async function cardPressSignedIn(
  deps: CardClickDeps,
  ctx: TurnContext,
  via: Via,
  user: Subject,
  click: Click,
): Promise<true | InvokeResponse | undefined | { failed: string }> {
  const { signIn, governance, cards, commands } = deps;
  const target = click.target;
  const resent = await resentWithState(deps, ctx, via, user, target);
  if (resent !== null) return resent;
  const refused = pressRefused(governance, click);
  const storeDown = (e: unknown) => pressStoreDown(deps, ctx, via, target, { event: 'card.signIn.failed', e, refused });
  let resolution: TokenResolution;
  try {
    // Reads the presser's sign-out mark in the shared state when a token is kept here.
    resolution = await signIn.tokenFor(user);
  } catch (e) {
    return storeDown(e);
  }
  // Teams re-sent the click with the SSO token after our login request: its remembered press is
  // taken, for this press runs it; a token that fails is answered 412.
  const sso = await resentWithToken(
    deps,
    ctx,
    via,
    user,
    target,
    resolution.kind === 'token',
    'card.signIn.failed',
    refused,
  );
  if (sso !== null) return sso;
  if (resolution.kind === 'token') return true;
  if (resolution.kind === 'failed' && !pageReason(resolution.error)) {
    loggedStoreFailure(deps.logger, 'card.signIn.failed', resolution.error);
    refused(resolution.error);
    return { failed: cards.errorWords(resolution.error, target) };
  }
  // Consent or MFA missing (the sandbox's silent SSO): the sign-in page asks for it.
  const failure = resolution.kind === 'failed' ? resolution.error : undefined;
  try {
    if (via === 'execute') return asked(await commands.signInCard(ctx, user.aadObjectId, target, failure, 'button'));
    await commands.askToSignIn(ctx, user.aadObjectId, target, failure, 'button');
    return undefined;
  } catch (e) {
    // The press could not be remembered for after the sign-in: it ends here.
    return storeDown(e);
  }
}
