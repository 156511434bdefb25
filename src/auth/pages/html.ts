// The HTML of the sign-in pages and the headers every one of them carries. The pages hold no
// inline script or style: the end page's behaviour is the static script at END_SCRIPT_PATH, and
// what it must do is in data attributes of <body>. A strict Content-Security-Policy forbids
// everything else. No token, code or verifier ever goes into a page.

import type { Response } from 'restify';
import { EndOutcome, WRONG_USER_TEXT, failureText } from './endWords';

// The end page's words and outcomes live in endWords.ts; these names are kept here for callers.
export { EndOutcome, REQUEST_REFUSALS, requestRefused } from './endWords';

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

/** The end page: loads the Teams library and the page script, both from this bot. `resetPage`:
 * where an expired password is changed in the bot's cloud (PASSWORD_RESET_PAGES); null: none known. */
export function endPage(outcome: EndOutcome, resetPage: string | null): string {
  if (outcome.kind === 'failure' && outcome.anotherAccount) {
    // The window stays open (data-stay: the script does not end it): "Sign in again" from Teams
    // would sign the same browser session in without asking; the link asks for the account.
    return page(
      'Governance Bot sign-in',
      `${WRONG_USER_TEXT} Select Sign in with another account and choose the account you use in Teams, or close this window.`,
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
      : failureText(outcome, resetPage);
  return page('Governance Bot sign-in', text, [TEAMS_JS_PATH, END_SCRIPT_PATH], data);
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
