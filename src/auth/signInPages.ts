// The sign-in fallback of Teams bot SSO: when the silent token exchange cannot succeed (consent
// missing, MFA or Conditional Access), Teams shows the OAuth card's sign-in button, which opens
// the bot's own start page. The pages live under the bot's domain (the manifest's validDomains),
// redeem the code on the server and end with authentication.notifySuccess, after which Teams
// sends `signin/verifyState` with a one-time state that SignInStates.verify checks.
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code
// No botbuilder here: the bot handler calls signInUrl for its buttons and verify on the invoke.

import * as fs from 'node:fs';
import type { Logger } from 'pino';
import type { Server } from 'restify';
import type { SignInReason, SignInStates } from '../state/signInStates';
import { CodeRedeemer, MsalCodeRedeemer } from './codeRedeemer';
import { PageContext, PendingSignInView, SignedInCallback } from './pages/context';
import { endHandler } from './pages/end';
import { END_SCRIPT_PATH, TEAMS_JS_PATH, sendScript } from './pages/html';
import { END_PAGE_SCRIPT } from './pages/script';
import { isClaimsChallenge, startHandler, takesClaims } from './pages/start';

export type { PendingSignInView } from './pages/context';

const START_PATH = '/auth/start';
export const END_PATH = '/auth/end';

export interface SignInPagesDeps {
  /** The bot's public origin, as users' browsers reach it: https://<bot domain> (http only on loopback). */
  readonly publicBaseUrl: string;
  /** https Entra sign-in host without a trailing slash (AAD_APP_OAUTH_AUTHORITY_HOST). */
  readonly authorityHost: string;
  /** The SSO app (AAD_APP_CLIENT_ID, AAD_APP_CLIENT_SECRET, AAD_APP_TENANT_ID). */
  readonly sso: { readonly clientId: string; readonly clientSecret: string; readonly tenantId: string };
  /** The delegated permissions to ask for, as full scopes: `${graphEndpoint}/<permission>`. */
  readonly scopes: readonly string[];
  readonly states: SignInStates;
  /** Looks up the pending sign-in a start link names: its user, and why SSO failed. */
  readonly findPending: (pendingId: string) => Promise<PendingSignInView | null>;
  readonly onSignedIn: SignedInCallback;
  readonly logger: Logger;
  /** Where an expired password is changed in the bot's cloud (PASSWORD_RESET_PAGES): the end page
   * names it; null where none is known, and the page names none. */
  readonly passwordResetPage: string | null;
  /** Replaces the msal-node redeemer (tests, or a redeemer trusting an extra CA). */
  readonly redeemer?: CodeRedeemer;
  /** Deadline of the code redemption, in ms. */
  readonly redeemTimeoutMs?: number;
}

export interface SignInPages {
  /** The start page URL for a sign-in button. */
  signInUrl(pendingId: string, reason?: SignInReason, claims?: string): string;
  /** The domains the Teams manifest's validDomains must list for these pages. */
  readonly validDomains: readonly string[];
  /** The redirect URI the SSO app registration must list (Web platform). */
  readonly redirectUri: string;
}

/** The origin of the bot's pages; refuses anything a browser could not safely be sent to. */
export function publicOrigin(publicBaseUrl: string): URL {
  const u = new URL(publicBaseUrl);
  const loopback = u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]';
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) {
    throw new Error('The bot public URL must use https (http only on loopback).');
  }
  if (u.pathname !== '/' || u.search || u.hash || u.username || u.password) {
    throw new Error('The bot public URL must be an origin such as https://bot.contoso.com (no path).');
  }
  return u;
}

/**
 * How long, encoded, a claims challenge may be in a sign-in link. Conditional Access challenges
 * are a small JSON object (an `acrs` or `capolids` request, some tens of characters); a longer one
 * stays out of the link, which a card button and a browser must carry whole, and the start page
 * then uses the copy the pending sign-in noted, if any.
 * https://learn.microsoft.com/en-us/entra/identity-platform/v2-conditional-access-dev-guide
 */
export const MAX_LINK_CLAIMS_CHARS = 2048;

/**
 * The start page URL a sign-in button opens: the pending sign-in's id, and why SSO failed (`r`)
 * with its claims challenge (`c`), so that the page asks Entra for them even when the state store
 * did not note them. Nothing secret: the id is useless without the user's own Entra sign-in, and
 * a claims challenge only names what Entra wants; a challenge the page would refuse (not a JSON
 * object, or too long) is left out rather than breaking the link.
 */
export function signInUrl(publicBaseUrl: string, pendingId: string, reason?: SignInReason, claims?: string): string {
  const url = new URL(START_PATH, publicOrigin(publicBaseUrl));
  url.searchParams.set('s', pendingId);
  if (reason) url.searchParams.set('r', reason);
  if (takesClaims(reason) && claims && fitsLink(claims) && isClaimsChallenge(claims)) url.searchParams.set('c', claims);
  return url.toString();
}

/** Whether a claims challenge fits a sign-in link (MAX_LINK_CLAIMS_CHARS), measured as the link's
 * query encodes it (' ( ) ! ~ as %XX, which encodeURIComponent keeps). */
function fitsLink(claims: string): boolean {
  return new URLSearchParams({ c: claims }).toString().length - 2 <= MAX_LINK_CLAIMS_CHARS;
}

/** The manifest's validDomains entry for the pages: the bot's host (with its port, if any). */
function signInValidDomains(publicBaseUrl: string): readonly string[] {
  return [publicOrigin(publicBaseUrl).host];
}

function signInRedirectUri(publicBaseUrl: string): string {
  return new URL(END_PATH, publicOrigin(publicBaseUrl)).toString();
}

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function mountSignInPages(server: Server, deps: SignInPagesDeps): SignInPages {
  const base = publicOrigin(deps.publicBaseUrl).origin;
  const authority = new URL(deps.authorityHost);
  if (authority.protocol !== 'https:') throw new Error('The sign-in host must use https.');
  const tenant = deps.sso.tenantId;
  const redirectUri = signInRedirectUri(base);
  const ctx: PageContext = {
    clientId: deps.sso.clientId,
    authorizeEndpoint: `https://${authority.host}/${encodeURIComponent(tenant)}/oauth2/v2.0/authorize`,
    redirectUri,
    scopes: [...deps.scopes],
    tenantGuid: GUID_RE.test(tenant) ? tenant : null,
    states: deps.states,
    redeemer:
      deps.redeemer ??
      new MsalCodeRedeemer({
        clientId: deps.sso.clientId,
        clientSecret: deps.sso.clientSecret,
        tenantId: tenant,
        authorityHost: deps.authorityHost,
        ...(deps.redeemTimeoutMs ? { timeoutMs: deps.redeemTimeoutMs } : {}),
      }),
    findPending: deps.findPending,
    onSignedIn: deps.onSignedIn,
    logger: deps.logger,
    passwordResetPage: deps.passwordResetPage,
  };
  // The Teams library from this bot's own install, never a CDN: read once, served as is.
  const teamsJs = fs.readFileSync(require.resolve('@microsoft/teams-js/dist/umd/MicrosoftTeams.min.js'));

  server.get(START_PATH, startHandler(ctx));
  server.get(END_PATH, endHandler(ctx));
  server.get(TEAMS_JS_PATH, async (_req, res) => sendScript(res, teamsJs, 86_400));
  server.get(END_SCRIPT_PATH, async (_req, res) => sendScript(res, END_PAGE_SCRIPT, 3_600));

  return {
    signInUrl: (pendingId, reason, claims) => signInUrl(base, pendingId, reason, claims),
    validDomains: signInValidDomains(base),
    redirectUri,
  };
}
