// GET /auth/end?code&state (or ?error&state): Entra's redirect back to the bot. It consumes the
// one-time authorize state, redeems the code on the server with the PKCE verifier, checks that
// the person who signed in is the pending sign-in's user (oid, and tid when known), hands the
// access token to the bot's in-memory token cache, and serves the page that completes the Teams
// sign-in window with authentication.notifySuccess(<one-time verify state>); Teams then sends
// the bot `signin/verifyState` with that state. Every failure ends with notifyFailure(<code>).
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot
// https://learn.microsoft.com/en-us/javascript/api/@microsoft/teams-js/authentication

import type { Request, Response } from 'restify';
import { StateUnavailableError } from '../../state/port';
import { RedeemError, redeemFailureOf } from '../codeRedeemer';
import { descriptionNumber, refusalOfNumber } from '../entraRefusals';
import { SignInStoreError } from '../signInStoreError';
import { loggedStoreFailure } from '../signInStoreLog';
import { PageContext } from './context';
import { EndFailure } from './endWords';
import { EndOutcome, endPage, requestRefused, sendHtml } from './html';

/** The end page's reason when the bot's own state store failed (storeFailed). */
const STORE_UNAVAILABLE = 'store_unavailable';

const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export function endHandler(ctx: PageContext): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    const outcome = await complete(ctx, new URL(req.url ?? '/', 'http://bot.invalid').searchParams);
    if (outcome.kind === 'failure' && outcome.reason === 'invalid_client') {
      // Every user's sign-in fails alike until an administrator mends the app's registration.
      ctx.logger.error(
        { event: 'signin.end', outcome: 'failure', reason: outcome.reason },
        "sign-in did not complete: Microsoft Entra refused the app's own credentials (AAD_APP_CLIENT_SECRET wrong or expired, AAD_APP_CLIENT_ID unknown to the tenant, or the redirect URI not registered)",
      );
    } else if (outcome.kind === 'failure' && requestRefused(outcome)) {
      ctx.logger.error(
        { event: 'signin.end', outcome: 'failure', reason: outcome.reason },
        `sign-in did not complete: Microsoft Entra refused the sign-in request (check that AAD_APP_CLIENT_ID is registered in the tenant, that its Web platform lists the redirect URI ${ctx.redirectUri}, and that the delegated permissions the bot asks for exist there)`,
      );
    } else if (outcome.kind === 'failure') {
      ctx.logger.warn({ event: 'signin.end', outcome: 'failure', reason: outcome.reason }, 'sign-in did not complete');
    }
    sendHtml(res, outcome.kind === 'success' ? 200 : statusOf(outcome.reason), endPage(outcome, ctx.passwordResetPage));
  };
}

function statusOf(reason: string): number {
  if (reason === 'unavailable' || reason === STORE_UNAVAILABLE) return 503;
  if (reason === 'wrong_user') return 403;
  return 400;
}

async function complete(ctx: PageContext, query: URLSearchParams): Promise<EndOutcome> {
  const fail = (reason: EndFailure): EndOutcome => ({ kind: 'failure', reason });
  const state = query.get('state');
  if (!state || state.length > 200) return fail('invalid_request');
  let binding;
  try {
    binding = await ctx.states.takeAuthorize(state);
  } catch (e) {
    if (e instanceof StateUnavailableError) return storeFailed(ctx, e);
    ctx.logger.error({ err: e, event: 'signin.end.failed' }, 'sign-in state could not be read');
    return fail('unavailable');
  }
  if (!binding) return fail('expired');
  // Entra's own refusal (the user cancelled, declined consent, or a policy blocked the sign-in).
  // The authorize endpoint's redirect carries no `error_codes`: the AADSTS number its description
  // starts with is Entra's number there. What no sign-in mends is told as the code redemption tells
  // it, whatever `error` comes with it (access_denied, interaction_required, consent_required).
  const error = query.get('error');
  const refused = error ? personalRefusal(query.get('error_description') ?? '') : null;
  if (refused) return fail(refused);
  if (error)
    return {
      kind: 'failure',
      reason: error === 'access_denied' ? 'access_denied' : errorCode(error),
      fromAuthorize: true,
    };
  const code = query.get('code');
  if (!code) return fail('invalid_request');

  let redeemed;
  try {
    redeemed = await ctx.redeemer.redeem({
      code,
      codeVerifier: binding.codeVerifier,
      redirectUri: ctx.redirectUri,
      scopes: ctx.scopes,
      ...(binding.claims ? { claims: binding.claims } : {}),
    });
  } catch (e) {
    if (e instanceof RedeemError) return fail(e.reason);
    ctx.logger.error({ err: e, event: 'signin.end.failed' }, 'authorization code redemption failed');
    return fail('unavailable');
  }
  const expectedTenant = binding.tenantId ?? ctx.tenantGuid;
  if (
    !sameId(redeemed.oid, binding.aadObjectId) ||
    (expectedTenant !== null && !sameId(redeemed.tid, expectedTenant))
  ) {
    ctx.logger.warn(
      { event: 'signin.end.wrongUser', pendingId: binding.pendingId },
      'the person who signed in is not the pending sign-in user; token discarded',
    );
    return { kind: 'failure', reason: 'wrong_user', anotherAccount: anotherAccountLink(binding.pendingId) };
  }
  try {
    const kept = await ctx.onSignedIn(
      binding.aadObjectId,
      redeemed.accessToken,
      redeemed.expiresOn,
      binding.pendingId,
      binding.signOutMark,
    );
    // Signed out while Entra's page was open: the token is dropped, nothing runs.
    if (kept === false) return fail('signed_out');
    const verifyState = await ctx.states.issueVerify(binding.pendingId, binding.aadObjectId);
    ctx.logger.info({ event: 'signin.end', outcome: 'success', pendingId: binding.pendingId }, 'signed in');
    return { kind: 'success', verifyState };
  } catch (e) {
    if (e instanceof StateUnavailableError) return storeFailed(ctx, e);
    ctx.logger.error({ err: e, event: 'signin.end.failed' }, 'sign-in could not be recorded');
    return fail('unavailable');
  }
}

/** The bot's own state store failed (reading the authorize state, the user's sign-out mark, or
 * writing the verify state): not Entra, and nothing wrong with the person's sign-in. One error line
 * (signInStoreLog.ts) whose correlation id the page gives the person as a reference. */
function storeFailed(ctx: PageContext, e: StateUnavailableError): EndOutcome {
  const error = new SignInStoreError(e);
  loggedStoreFailure(ctx.logger, 'signin.end.failed', error);
  return {
    kind: 'failure',
    reason: STORE_UNAVAILABLE,
    ...(error.correlationId ? { reference: error.correlationId } : {}),
  };
}

/** The start page again for the same pending sign-in, asking Entra for its account picker. */
function anotherAccountLink(pendingId: string): string {
  return `/auth/start?${new URLSearchParams({ s: pendingId, a: 'select' }).toString()}`;
}

/**
 * What the authorize endpoint's refusal says by its number that signing in again does not mend: a
 * Conditional Access block (no claims challenge comes back here), a person not assigned to the app,
 * consent only an administrator can grant, a device the organization does not manage, an account
 * not in the directory or disabled, cross-tenant access settings. Null for any other: the `error`
 * then says what it can (access_denied, consent_required, ...).
 */
function personalRefusal(description: string): EndFailure | null {
  const r = refusalOfNumber(descriptionNumber(description));
  if (r === null || r === 'consent' || r === 'mfa' || r === 'configuration' || r === 'expired' || r === 'ssoRejected') {
    return null;
  }
  return redeemFailureOf(r, false);
}

/** OAuth error codes are [a-z_]; anything else is not repeated to the page. */
function errorCode(error: string): string {
  return /^[a-z_]{1,40}$/.test(error) ? error : 'sign_in_failed';
}
