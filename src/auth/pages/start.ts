// GET /auth/start?s=<pending id>[&r=consent|mfa][&c=<claims>][&a=select]: the page the sign-in button of the
// OAuth card opens (Teams opens it in a pop-up window). It binds a fresh PKCE verifier and the
// pending sign-in's user to an unguessable one-time `state`, then sends the browser to Entra's
// authorize endpoint for the SSO app: authorization code with PKCE (S256), `prompt=consent` when
// consent was missing, the `claims` challenge when MFA or Conditional Access was, or with an expired
// grant (AADSTS70043, sign-in frequency), and `login_hint`
// (the user name of the person's Teams token, kept by the bot, never in the link) when known.
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot

import type { Request, Response } from 'restify';
import { SignInReason, TooManyStartsError } from '../../state/signInStates';
import { createPkcePair } from './pkce';
import { PageContext } from './context';
import { messagePage, sendHtml, sendRedirect } from './html';

const PENDING_ID_RE = /^[A-Za-z0-9._:-]{1,200}$/;
const MAX_CLAIMS_CHARS = 4000;

/** A claims request is a JSON object (https://openid.net/specs/openid-connect-core-1_0.html#ClaimsParameter). */
export function isClaimsChallenge(text: string): boolean {
  if (text.length > MAX_CLAIMS_CHARS) return false;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

/**
 * Whether a sign-in for this reason takes the claims challenge its refusal came with: MFA or
 * another Conditional Access step, and a grant expired by Conditional Access' sign-in frequency
 * (AADSTS70043): "pass the claims challenge ... in the claims parameter" of the authorize request,
 * whatever refused the token (https://learn.microsoft.com/en-us/entra/identity-platform/claims-challenge).
 */
export function takesClaims(reason: SignInReason | undefined): boolean {
  return reason === 'mfa' || reason === 'expired';
}

function reasonOf(v: string | null): SignInReason | undefined {
  return v === 'consent' || v === 'mfa' || v === 'expired' ? v : undefined;
}

export function startHandler(ctx: PageContext): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    const query = new URL(req.url ?? '/', 'http://bot.invalid').searchParams;
    const pendingId = query.get('s') ?? '';
    const urlClaims = query.get('c');
    if (!PENDING_ID_RE.test(pendingId) || (urlClaims !== null && !isClaimsChallenge(urlClaims))) {
      sendHtml(res, 400, messagePage('Sign-in link not valid', 'Go back to Teams and select Sign in again.'));
      return;
    }
    let pending;
    try {
      pending = await ctx.findPending(pendingId);
    } catch (e) {
      ctx.logger.error({ err: e, event: 'signin.start.failed' }, 'pending sign-in could not be read');
      sendHtml(res, 503, messagePage('Sign-in unavailable', 'Try again in a minute from Teams.'));
      return;
    }
    if (!pending) {
      sendHtml(
        res,
        404,
        messagePage(
          'Sign-in expired',
          "This sign-in is no longer waiting. Go back to Teams and send your command again, or press the card's button again.",
        ),
      );
      return;
    }
    // What the pending sign-in recorded wins over the link's copy of it.
    const reason = pending.reason ?? reasonOf(query.get('r'));
    const claims = takesClaims(reason) ? (pending.claims ?? urlClaims ?? undefined) : undefined;
    const pkce = createPkcePair();
    let state: string;
    try {
      state = await ctx.states.beginAuthorize({
        pendingId,
        aadObjectId: pending.aadObjectId,
        ...(pending.tenantId ? { tenantId: pending.tenantId } : {}),
        codeVerifier: pkce.verifier,
        ...(claims ? { claims } : {}),
        ...(pending.signOutMark !== undefined ? { signOutMark: pending.signOutMark } : {}),
      });
    } catch (e) {
      if (e instanceof TooManyStartsError) {
        ctx.logger.warn({ event: 'signin.start.tooMany', pendingId }, 'sign-in started too many times');
        sendHtml(
          res,
          429,
          messagePage(
            'Sign-in started too many times',
            "This sign-in link was opened too many times, so it cannot start another sign-in. Go back to Teams and send your command again, or press the card's button again, then select the new Sign in.",
          ),
        );
        return;
      }
      ctx.logger.error({ err: e, event: 'signin.start.failed' }, 'sign-in state could not be stored');
      sendHtml(res, 503, messagePage('Sign-in unavailable', 'Try again in a minute from Teams.'));
      return;
    }
    const authorize = new URL(ctx.authorizeEndpoint);
    const params = authorize.searchParams;
    params.set('client_id', ctx.clientId);
    params.set('response_type', 'code');
    params.set('redirect_uri', ctx.redirectUri);
    params.set('response_mode', 'query');
    // openid and profile: the token response then carries the ID token that names the user.
    params.set('scope', [...ctx.scopes, 'openid', 'profile'].join(' '));
    params.set('state', state);
    params.set('code_challenge', pkce.challenge);
    params.set('code_challenge_method', 'S256');
    if (reason === 'consent') params.set('prompt', 'consent');
    // "prompt=login forces the user to enter their credentials on that request" (v2 OAuth code flow):
    // a grant that expired or was revoked (a password reset) needs a fresh sign-in, not the session.
    if (reason === 'expired') params.set('prompt', 'login');
    // The end page's "Sign in with another account" (the wrong account signed in): "prompt=select_account
    // interrupts single sign-on", which would sign the same session in again. Consent, if still
    // missing, Entra asks for anyway; prompt=login already asks for the credentials.
    else if (query.get('a') === 'select') params.set('prompt', 'select_account');
    if (claims) params.set('claims', claims);
    // The user name of the person's own Teams token pre-fills Entra's page (the account they use
    // in Teams, among the browser's several). Not for "Sign in with another account": the person
    // asked for Entra's account picker, free of any account chosen for them.
    if (pending.loginHint && query.get('a') !== 'select') params.set('login_hint', pending.loginHint);
    ctx.logger.info({ event: 'signin.start', pendingId, reason: reason ?? 'none' }, 'sign-in page sent to Entra');
    sendRedirect(res, authorize.toString());
  };
}
