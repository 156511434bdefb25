// The HTML of the simulated Entra sign-in: pick the account, consent, the MFA step, and errors.
// Plain forms posting back to the authorize endpoint, so a browser or a plain HTTP client can
// follow them. Everything interpolated is escaped.

import type { SimResponse } from './envelope';

export interface PageUser {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

function page(title: string, body: string, status = 200): SimResponse {
  const html = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${esc(title)}</title>`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '</head><body>',
    '<p><strong>Sandbox sign-in</strong> (simulated Microsoft Entra ID, no real account)</p>',
    `<h1>${esc(title)}</h1>`,
    body,
    '</body></html>',
  ].join('\n');
  return {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // The pages must not be framed by another site (clickjacking).
      'x-frame-options': 'DENY',
      'content-security-policy': "default-src 'none'; form-action 'self'; frame-ancestors 'none'",
    },
    body: html,
  };
}

function form(action: string, flowId: string, step: string, inner: string): string {
  return [
    `<form method="post" action="${esc(action)}">`,
    `<input type="hidden" name="flow" value="${esc(flowId)}">`,
    `<input type="hidden" name="step" value="${esc(step)}">`,
    inner,
    '</form>',
  ].join('\n');
}

export function pickPage(action: string, flowId: string, users: readonly PageUser[], hint: string | null): SimResponse {
  const options = users
    .map((u) => {
      const selected = hint !== null && u.id === hint ? ' selected' : '';
      return `<option value="${esc(u.id)}"${selected}>${esc(u.displayName)} (${esc(u.userPrincipalName)})</option>`;
    })
    .join('\n');
  return page(
    'Pick an account',
    form(
      action,
      flowId,
      'pick',
      [
        '<label for="user">Account</label>',
        `<select id="user" name="user">${options}</select>`,
        '<button type="submit" id="continue">Continue</button>',
      ].join('\n'),
    ),
  );
}

export function consentPage(
  action: string,
  flowId: string,
  user: PageUser,
  appName: string,
  scopes: readonly string[],
): SimResponse {
  const items = scopes.map((s) => `<li>${esc(s)}</li>`).join('\n');
  return page(
    'Permissions requested',
    [
      `<p>${esc(appName)} wants to act as ${esc(user.displayName)} (${esc(user.userPrincipalName)}):</p>`,
      `<ul id="scopes">${items}</ul>`,
      form(
        action,
        flowId,
        'consent',
        [
          '<button type="submit" id="accept" name="decision" value="accept">Accept</button>',
          '<button type="submit" id="decline" name="decision" value="decline">Cancel</button>',
        ].join('\n'),
      ),
    ].join('\n'),
  );
}

export function mfaPage(action: string, flowId: string, user: PageUser, code: string, wrong: boolean): SimResponse {
  return page(
    'Verify your identity',
    [
      `<p>${esc(user.displayName)}, your organization asks for multi-factor authentication.</p>`,
      // The sandbox shows the one-time code that an authenticator app would show.
      `<p>Enter the code <code id="otp-hint">${esc(code)}</code> from your authenticator.</p>`,
      wrong ? '<p id="otp-error" role="alert">That code is not right. Try again.</p>' : '',
      form(
        action,
        flowId,
        'mfa',
        [
          '<label for="otp">Code</label>',
          '<input type="text" id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" value="">',
          '<button type="submit" id="verify">Verify</button>',
        ].join('\n'),
      ),
    ].join('\n'),
  );
}

/**
 * A page of a flow whose form answer may redirect to the app: browsers apply form-action to the
 * redirect that follows a submission too, so the app's origin is allowed besides 'self'.
 * https://www.w3.org/TR/CSP3/#directive-form-action
 */
export function allowingRedirectTo(res: SimResponse, redirectUri: string): SimResponse {
  const csp = res.headers?.['content-security-policy'];
  if (!csp) return res;
  const origin = new URL(redirectUri).origin;
  return {
    ...res,
    headers: {
      ...res.headers,
      'content-security-policy': csp.replace("form-action 'self'", `form-action 'self' ${origin}`),
    },
  };
}

/** An error Entra shows itself instead of redirecting (bad client or redirect URI). */
export function errorPage(code: number, message: string): SimResponse {
  return page(
    'Sorry, but we are having trouble signing you in.',
    `<p id="error">AADSTS${code}: ${esc(message)}</p>`,
    400,
  );
}

/** Back to the app: 302 to the redirect URI with the given query. */
export function redirect(redirectUri: string, params: Record<string, string>): SimResponse {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return { status: 302, headers: { location: url.toString(), 'cache-control': 'no-store' } };
}
