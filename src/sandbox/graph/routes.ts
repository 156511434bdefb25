// How a Graph call finds its handler: version prefix, path pattern, method, then the bearer token,
// its delegated permissions and the signed-in user's roles, then the JSON body. Each Graph area
// contributes its own routes.

import type { Claims } from '../../auth/jwt';
import type { Authentication } from '../entra';
import type { Envelope, SimRequest, SimResponse } from '../envelope';
import { Caller, Policy, anyScope, check, forbidden } from './access';

export type Version = 'v1.0' | 'beta';

/** Graph's words for a request body it cannot read as JSON. */
export const UNREADABLE_PAYLOAD =
  'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.';

/** A path segment id, captured. */
export const ID = '([^/]+)';
/** The optional namespace on bound actions, e.g. microsoft.graph.identityGovernance.resume. */
export const NS = 'microsoft\\.graph\\.identityGovernance\\.';

export interface Ctx {
  readonly req: SimRequest;
  readonly version: Version;
  readonly params: readonly string[];
  /** The query string ($filter, $expand, $select). */
  readonly query: URLSearchParams;
  readonly claims: Claims;
  readonly caller: Caller;
  readonly body: unknown;
  /**
   * For item-scoped routes: null when the caller may act on this item (their own, when the route
   * has a self-service way in), otherwise Graph's 403. A policy passed here replaces the route's
   * (PIM for Groups asks for other roles on role-assignable groups).
   */
  permit(own: boolean, policy?: Policy): SimResponse | null;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly pattern: RegExp;
  /** Who may call it; a function when it depends on the tenant's options. */
  readonly policy: Policy | (() => Policy);
  /**
   * The handler decides with ctx.permit once it knows whose item it is (self-service routes);
   * otherwise the dispatcher checks the admin grant before the handler runs.
   */
  readonly itemScoped?: boolean;
  /** PIM answers a missing scope with its own odd 403 (graph-reference §10.2). */
  readonly pim?: boolean;
  readonly betaOnly?: boolean;
  /** False when this cloud does not offer the call in this version (graph-reference §9). */
  readonly available?: (version: Version) => boolean;
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
  deps: {
    envelope: Envelope;
    authenticate: (req: SimRequest) => Authentication;
    callerOf: (claims: Claims) => Caller;
  },
): Dispatched {
  const { envelope } = deps;
  const answer = (response: SimResponse, claims: Claims | null = null): Dispatched => ({ response, claims });
  const m = /^\/(v1\.0|beta)(\/.*)$/.exec(path);
  if (!m) return answer(envelope.error(req, 404, 'BadRequest', `Resource not found for the segment '${path}'.`));
  const version = m[1] as Version;
  // Clients may percent-encode the quotes of a function call: filterByCurrentUser(on=%27principal%27).
  const rest = safeDecode(m[2] ?? '');
  // Every filterByCurrentUser takes its `on` parameter ("In the request URL, provide the following
  // function parameters": on), and OData lets only nullable or optional parameters be left out
  // (https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part1-protocol.html §11.5.4.1); left
  // out, the segment would otherwise read as an item id and answer 404, as if the call were valid.
  if (/\/filterByCurrentUser(?:\(\s*\))?$/.test(rest)) {
    return answer(
      envelope.error(
        req,
        400,
        'BadRequest',
        "The function 'filterByCurrentUser' requires its parameter 'on', for example filterByCurrentUser(on='principal').",
      ),
    );
  }
  const matches = routes
    .map((route) => ({ route, params: route.pattern.exec(rest) }))
    .filter(
      (x): x is { route: Route; params: RegExpExecArray } =>
        x.params !== null && !(x.route.betaOnly && version !== 'beta') && (x.route.available?.(version) ?? true),
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
  const caller = deps.callerOf(claims);
  const route = hit.route;
  const policy = typeof route.policy === 'function' ? route.policy() : route.policy;
  // The token must carry a permission of some way in before anything is looked up.
  if (!anyScope(policy).some((s) => caller.scopes.includes(s))) {
    return answer(forbidden(req, envelope, { missing: 'scope', grant: policy.admin }, route.pim ?? false), claims);
  }
  const permit = (own: boolean, p: Policy = policy): SimResponse | null => {
    const denial = check(caller, p, own);
    return denial ? forbidden(req, envelope, denial, route.pim ?? false) : null;
  };
  if (!route.itemScoped) {
    const refused = permit(false);
    if (refused) return answer(refused, claims);
  }
  let body: unknown = undefined;
  if (req.body !== undefined && req.body.trim() !== '') {
    // A body is read as JSON only under Content-Type: application/json (the pages mark the header
    // Required); without it, or unparsable, Graph answers this 400
    // (https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/6337).
    const json = isJsonContent(req);
    try {
      if (!json) throw new Error('not JSON');
      body = JSON.parse(req.body);
    } catch {
      return answer(envelope.error(req, 400, 'BadRequest', UNREADABLE_PAYLOAD), claims);
    }
  }
  const query = new URLSearchParams(req.url.split('?', 2)[1] ?? '');
  return answer(
    route.handle({ req, version, params: hit.params.slice(1), query, claims, caller, body, permit }),
    claims,
  );
}

/** Whether the request says its body is JSON (Content-Type: application/json, any parameters). */
export function isJsonContent(req: SimRequest): boolean {
  return /^application\/json\s*(;|$)/i.test((req.headers['content-type'] ?? '').trim());
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
