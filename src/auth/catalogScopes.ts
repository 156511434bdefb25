// The delegated Microsoft Graph permissions the sign-in page asks for: every catalog entry's
// least-privileged permission and the permissions of its reads, exactly what
// scripts/register-sso-app.js registers on the SSO app. The walk over `read` is deliberately
// generic (any `permission` or `permissions` under it), so a reshaped read still contributes.

import { CATALOG } from '../domain/operations';

function readPermissions(read: unknown): string[] {
  if (Array.isArray(read)) return read.flatMap(readPermissions);
  if (!read || typeof read !== 'object') return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(read)) {
    if (key === 'permission' && typeof value === 'string') out.push(value);
    else if (key === 'permissions' && Array.isArray(value)) {
      out.push(...value.filter((v): v is string => typeof v === 'string'));
    } else if (value && typeof value === 'object') out.push(...readPermissions(value));
  }
  return out;
}

/** The catalog's delegated permissions, sorted, each once. */
export function catalogPermissions(): string[] {
  const names = new Set<string>();
  for (const spec of Object.values(CATALOG)) {
    names.add(spec.permission.least);
    for (const p of readPermissions((spec as { read?: unknown }).read)) names.add(p);
  }
  return [...names].sort();
}

/** The permissions as full scopes of the Graph root, e.g. https://graph.microsoft.com/User.Read. */
export function catalogScopes(graphEndpoint: string): string[] {
  const root = graphEndpoint.replace(/\/+$/, '');
  return catalogPermissions().map((p) => `${root}/${p}`);
}
