// The delegated Microsoft Graph permissions the sign-in page asks for: the catalog's permissions
// (writes, reads and the self-service ways in) and the bot's own (User.Read), which
// scripts/register-sso-app.js registers on the SSO app; one list, kept in domain/rights.ts.

import { catalogPermissions } from '../domain/rights';

/** The permissions as full scopes of the Graph root, e.g. https://graph.microsoft.com/User.Read. */
export function catalogScopes(graphEndpoint: string): string[] {
  const root = graphEndpoint.replace(/\/+$/, '');
  return catalogPermissions().map((p) => `${root}/${p}`);
}
