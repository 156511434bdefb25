// The scope parameter of the simulated Entra's on-behalf-of grant, read as Entra reads it
// (https://learn.microsoft.com/entra/identity-platform/scopes-oidc): one resource per token
// request; `{resource}/.default` stands for every permission consented for that resource and
// "Clients can't combine static (.default) consent and dynamic consent in a single request"; a
// name without a resource ("User.Read") means Microsoft Graph; the OpenID Connect scopes go with
// any other scope.

const OPENID_CONNECT = ['openid', 'profile', 'email', 'offline_access'];

export type ReadScopes =
  | {
      readonly ok: true;
      /** The one resource the token is for. */
      readonly resource: string;
      /** The delegated permissions named one by one (none for `/.default`). */
      readonly named: readonly string[];
    }
  | { readonly ok: false };

/** The resource and named permissions of `scope`; not ok when it mixes resources or scope types. */
export function readScopes(scope: string, graph: string): ReadScopes {
  const parts = scope
    .split(/\s+/)
    .filter((s) => s !== '' && !OPENID_CONNECT.includes(s.toLowerCase()))
    .map((s) => split(s, graph));
  if (parts.length === 0) return { ok: true, resource: graph, named: [] };
  const resources = new Set(parts.map((p) => normal(p.resource)));
  const defaults = parts.filter((p) => p.permission === '.default').length;
  if (resources.size > 1 || (defaults > 0 && parts.length > 1)) return { ok: false };
  return {
    ok: true,
    resource: parts[0]!.resource,
    named: defaults > 0 ? [] : parts.map((p) => p.permission),
  };
}

/** `https://host/Perm`, `api://id/Perm`, `{clientId}/.default`: the resource is before the last slash. */
function split(s: string, graph: string): { resource: string; permission: string } {
  const slash = s.lastIndexOf('/');
  if (slash <= 0) return { resource: graph, permission: s };
  return { resource: s.slice(0, slash), permission: s.slice(slash + 1) };
}

function normal(resource: string): string {
  return resource.toLowerCase().replace(/\/+$/, '');
}
