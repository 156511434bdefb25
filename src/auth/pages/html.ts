// The HTML of the sign-in pages and the headers every one of them carries. The pages hold no
// inline script or style: the end page's behaviour is the static script at END_SCRIPT_PATH, and
// what it must do is in data attributes of <body>. A strict Content-Security-Policy forbids
// everything else. No token, code or verifier ever goes into a page.

import type { Response } from 'restify';

export const TEAMS_JS_PATH = '/auth/teams-js.js';
export const END_SCRIPT_PATH = '/auth/end.js';

/** script-src 'self' only: the Teams library and the page script are served by the bot itself. */
const PAGE_CSP = "default-src 'none'; script-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  // The end page's URL carries the authorization code: no page sends it on as a referrer.
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export type EndOutcome =
  | { readonly kind: 'success'; readonly verifyState: string }
  /** fromAuthorize: the reason is the `error` Entra's authorize endpoint sent back. anotherAccount:
   * the start page link that asks Entra for its account picker (the wrong account signed in).
   * reference: the correlation id of the error line logged for it, for the person to pass on. */
  | {
      readonly kind: 'failure';
      readonly reason: string;
      readonly fromAuthorize?: true;
      readonly anotherAccount?: string;
      readonly reference?: string;
    };

const FAILURE_TEXT: Readonly<Record<string, string>> = {
  access_denied: 'Sign-in was cancelled or permission was not granted.',
  consent_required: 'Permission for Governance Bot was not granted.',
  interaction_required: 'Your organization requires another sign-in step (such as multi-factor authentication).',
  wrong_user: 'You signed in as a different person than the one who asked Governance Bot to act.',
  expired: 'This sign-in took too long or was already used.',
  signed_out: 'You signed out of Governance Bot, or cancelled this sign-in, before it finished, so nothing was kept.',
  unavailable: 'The sign-in service could not be reached.',
};

/**
 * Entra's authorize endpoint refusing the request itself: "a development error", an app "isn't
 * registered in Microsoft Entra ID or isn't added to the user's Microsoft Entra tenant", a
 * resource "not configured in the tenant" (the v2 code flow's "Error codes for authorization
 * endpoint errors"), or a scope it does not know (RFC 6749 §4.1.2.1). Every sign-in meets the
 * same refusal until the registration or the request is mended.
 * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#error-codes-for-authorization-endpoint-errors
 */
export const REQUEST_REFUSALS: ReadonlySet<string> = new Set([
  'invalid_request',
  'unauthorized_client',
  'unsupported_response_type',
  'invalid_resource',
  'invalid_scope',
]);

/** Failures signing in again cannot mend: what the person should do instead of trying again. */
const NOT_AGAIN: Readonly<Record<string, string>> = {
  // AADSTS53003: a Conditional Access policy blocks the access; no sign-in can meet it.
  access_blocked:
    "Your organization's Conditional Access policy blocked this sign-in, so signing in again will not help. Close this window and contact your administrator.",
  // AADSTS90094 and the like: the permissions need an administrator's consent.
  admin_consent_required:
    'Governance Bot needs permissions that only an administrator of your organization can grant, so signing in again will not help until one does. Close this window and ask your Teams or Entra administrator to grant admin consent to Governance Bot; then select Sign in again.',
  // AADSTS50105: the app requires assignment and the person is not assigned to it.
  not_assigned:
    'Your organization allows only people assigned to Governance Bot to use it, and you are not assigned, so signing in again will not help. Close this window and ask your Teams or Entra administrator to assign you to the app.',
  // Entra refused the app itself (a wrong or expired client secret, an app id or redirect URI it
  // does not know): every sign-in meets the same refusal until an administrator mends it.
  invalid_client:
    "Microsoft Entra refused Governance Bot's own credentials (its client secret may be wrong or expired), so signing in again will not help. Close this window and tell your Teams or Entra administrator.",
};

const REQUEST_REFUSED =
  "Microsoft Entra refused Governance Bot's sign-in request (the app's registration in your organization needs mending), so signing in again will not help. Close this window and tell your Teams or Entra administrator.";

/** Entra's authorize or token endpoint refused the request itself (not the person): an
 * administrator must mend it. */
export function requestRefused(outcome: EndOutcome): boolean {
  if (outcome.kind !== 'failure') return false;
  return (
    outcome.reason === 'request_refused' || (outcome.fromAuthorize === true && REQUEST_REFUSALS.has(outcome.reason))
  );
}

/** The end page: loads the Teams library and the page script, both from this bot. */
export function endPage(outcome: EndOutcome): string {
  if (outcome.kind === 'failure' && outcome.anotherAccount) {
    // The window stays open (data-stay: the script does not end it): "Sign in again" from Teams
    // would sign the same browser session in without asking; the link asks for the account.
    return page(
      'Governance Bot sign-in',
      `${FAILURE_TEXT.wrong_user} Select Sign in with another account and choose the account you use in Teams, or close this window.`,
      [TEAMS_JS_PATH, END_SCRIPT_PATH],
      `data-outcome="failure" data-reason="${escapeHtml(outcome.reason)}" data-stay="true"`,
      { href: outcome.anotherAccount, text: 'Sign in with another account' },
    );
  }
  const data =
    outcome.kind === 'success'
      ? `data-outcome="success" data-state="${escapeHtml(outcome.verifyState)}"`
      : `data-outcome="failure" data-reason="${escapeHtml(outcome.reason)}"`;
  const text =
    outcome.kind === 'success'
      ? 'You are signed in to Governance Bot. This window closes by itself; if it does not, close it and go back to Teams.'
      : outcome.reason === 'store_unavailable'
        ? storeUnavailableText(outcome.reference)
        : requestRefused(outcome)
          ? REQUEST_REFUSED
          : (NOT_AGAIN[outcome.reason] ??
            `${FAILURE_TEXT[outcome.reason] ?? 'Sign-in did not complete.'} Close this window, go back to Teams and select Sign in again.`);
  return page('Governance Bot sign-in', text, [TEAMS_JS_PATH, END_SCRIPT_PATH], data);
}

/** The bot's own state store failed (end.ts storeFailed): not Entra, not the person's sign-in. */
function storeUnavailableText(reference: string | undefined): string {
  return `Nothing is wrong with your sign-in: Governance Bot could not use its own storage just now. Close this window, go back to Teams and select Sign in again in a moment.${
    reference ? ` If it keeps happening, give your administrator this reference: ${reference}.` : ''
  }`;
}

/** A page with no script at all (a link that cannot start a sign-in). */
export function messagePage(title: string, text: string): string {
  return page(title, text, [], '');
}

function page(
  title: string,
  text: string,
  scripts: readonly string[],
  bodyData: string,
  link?: { readonly href: string; readonly text: string },
): string {
  const tags = scripts.map((src) => `<script src="${escapeHtml(src)}" defer></script>`).join('\n');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    tags,
    '</head>',
    `<body${bodyData ? ` ${bodyData}` : ''}>`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${escapeHtml(text)}</p>`,
    link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>` : '',
    '</body>',
    '</html>',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

export function sendHtml(res: Response, status: number, html: string): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': PAGE_CSP,
    'Content-Length': Buffer.byteLength(html),
  });
  res.end(html);
}

export function sendRedirect(res: Response, location: string): void {
  res.writeHead(302, { ...SECURITY_HEADERS, Location: location, 'Content-Length': 0 });
  res.end();
}

export function sendScript(res: Response, body: string | Buffer, maxAgeSec: number): void {
  res.writeHead(200, {
    'Content-Type': 'text/javascript; charset=utf-8',
    'Cache-Control': `public, max-age=${maxAgeSec}`,
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}
