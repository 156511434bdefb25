// Whether the presser of a notification card's button is signed in, and the sign-in it asks for
// when not, remembering the press (with its card: pressedCard.ts) to run after it as a click.

import { InvokeResponse, TurnContext } from 'botbuilder';
import { pageReason } from '../auth/sso';
import type { Subject } from '../auth/tokenSubject';
import { loggedStoreFailure } from '../auth/signInStoreLog';
import type { Click } from '../domain/click';
import type { CardClickDeps, Via } from './cardClicks';
import { loginRequest } from './invokeResponses';
import { resentWithState } from './resentPress';
import { resentWithToken } from './resentToken';

/**
 * True when the clicker holds a token now (or Teams re-sent the click with the state of the
 * sign-in pages, resentPress.ts, or with their SSO token, resentToken.ts); otherwise the answer
 * that asks for one (a loginRequest for Action.Execute; undefined once the Sign in card was sent
 * for Action.Submit), or `failed`, the card that says why a silent sign-in failed for good.
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
  const resolution = await signIn.tokenFor(user);
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
    (e) => governance.recordRefusal(target, user.aadObjectId, e, click.audit),
  );
  if (sso !== null) return sso;
  if (resolution.kind === 'token') return true;
  if (resolution.kind === 'failed') {
    if (pageReason(resolution.error)) {
      // Consent or MFA missing (the sandbox's silent SSO): the sign-in page asks for it.
      if (via === 'execute')
        return loginRequest(await commands.signInCard(ctx, user.aadObjectId, target, resolution.error, 'button'));
      await commands.askToSignIn(ctx, user.aadObjectId, target, resolution.error, 'button');
      return undefined;
    }
    loggedStoreFailure(deps.logger, 'card.signIn.failed', resolution.error);
    governance.recordRefusal(target, user.aadObjectId, resolution.error, click.audit);
    return { failed: cards.errorWords(resolution.error, target) };
  }
  if (via === 'execute')
    return loginRequest(await commands.signInCard(ctx, user.aadObjectId, target, undefined, 'button'));
  await commands.askToSignIn(ctx, user.aadObjectId, target, undefined, 'button');
  return undefined;
}
