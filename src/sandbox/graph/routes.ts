// How a Graph call finds its handler: version prefix, path pattern, method, then the bearer token
// and its delegated scopes, then the JSON body. Each Graph area contributes its own routes.

import type { Claims } from '../../auth/jwt';
import type { Authentication } from '../entra';
import type { Envelope, SimRequest, SimResponse } from '../envelope';

export type Version = 'v1.0' | 'beta';

/** A path segment id, captured. */
export const ID = '([^/]+)';
/** The optional namespace on bound actions, e.g. microsoft.graph.identityGovernance.resume. */
export const NS = 'microsoft\\.graph\\.identityGovernance\\.';

export interface Ctx {
  readonly req: SimRequest;
  readonly version: Version;
  readonly params: readonly string[];
  readonly claims: Claims;
  readonly body: unknown;
}

export interface Route {
  readonly method: 'GET' | 'POST';
  readonly pattern: RegExp;
  readonly scopes: readonly string[];
  /** PIM answers a missing scope with its own odd 403 (graph-reference §10.2). */
  readonly pim?: boolean;
  readonly betaOnly?: boolean;
  readonly handle: (ctx: Ctx) => SimResponse;
}

export interface Dispatched {
  readonly response: SimResponse;
  /** The caller's token claims, once it was authenticated (for the request log). */
  readonly claims: Claims | null;
}

export function dispatchGraph(
  req: SimRequest,
  path: string,
  routes: readonly Route[],
  deps: { envelope: Envelope; authenticate: (req: SimRequest) => Authentication },
): Dispatched {
  const { envelope } = deps;
  const answer = (response: SimResponse, claims: Claims | null = null): Dispatched => ({ response, claims });
  const m = /^\/(v1\.0|beta)(\/.*)$/.exec(path);
  if (!m) return answer(envelope.error(req, 404, 'BadRequest', `Resource not found for the segment '${path}'.`));
  const version = m[1] as Version;
  const rest = m[2] ?? '';
  const matches = routes
    .map((route) => ({ route, params: route.pattern.exec(rest) }))
    .filter(
      (x): x is { route: Route; params: RegExpExecArray } =>
        x.params !== null && !(x.route.betaOnly && version !== 'beta'),
    );
  if (matches.length === 0) {
    return answer(
      envelope.error(req, 400, 'BadRequest', `Resource not found for the segment '${rest.split('/').pop() ?? ''}'.`),
    );
  }
  const hit = matches.find((x) => x.route.method === req.method.toUpperCase());
  if (!hit) {
    return answer(
      envelope.error(req, 405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.'),
    );
  }

  const auth = deps.authenticate(req);
  if (auth.kind === 'refused') return answer(auth.response);
  const claims = auth.claims;
  const granted = typeof claims.scp === 'string' ? claims.scp.split(' ') : [];
  if (!hit.route.scopes.some((s) => granted.includes(s))) {
    return answer(forbidden(req, hit.route, envelope), claims);
  }
  let body: unknown = undefined;
  if (req.body !== undefined && req.body.trim() !== '') {
    try {
      body = JSON.parse(req.body);
    } catch {
      return answer(envelope.error(req, 400, 'BadRequest', 'Invalid JSON in the request body.'), claims);
    }
  }
  return answer(hit.route.handle({ req, version, params: hit.params.slice(1), claims, body }), claims);
}

function forbidden(req: SimRequest, route: Route, envelope: Envelope): SimResponse {
  if (route.pim) {
    const inner = JSON.stringify({
      errorCode: 'PermissionScopeNotGranted',
      message: `Authorization failed due to missing permission scope ${route.scopes.join(',')}.`,
      instanceAnnotations: [],
    });
    return envelope.error(req, 403, 'UnknownError', inner);
  }
  return envelope.error(req, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
}
