// The account Entra's sign-in page should offer first: the user name in the Teams SSO token the
// bot already bound to the user (tokenSubject.ts). Entra's authorize request takes it as
// `login_hint`, "often extracted from the preferred_username claim"; a v1.0 token names the user in
// `upn` instead. Neither claim is ever used to decide anything: Entra may let the person pick
// another account, and the end page checks who signed in (oid, tid).
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#request-an-authorization-code
// https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference

import { decodeJwt } from './jwt';

/** A user name (user@domain), short enough for a URL; anything else is no hint at all. */
const USER_NAME_RE = /^[^\s@]{1,64}@[^\s@]{1,190}$/;

/** The user name an SSO token names (`preferred_username`, else `upn`), or undefined. Only for a
 * token whose subject was checked to be the user (subjectProblem === null). */
export function loginHintOf(ssoToken: string): string | undefined {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(ssoToken).claims;
  } catch {
    return undefined;
  }
  for (const name of ['preferred_username', 'upn']) {
    const value = claims[name];
    if (typeof value === 'string' && USER_NAME_RE.test(value)) return value;
  }
  return undefined;
}
