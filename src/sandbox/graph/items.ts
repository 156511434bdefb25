// What every Graph area shares: its stored rows, the tenant's options, and reading one or a list
// of rows the way Graph shapes them.

import type { Envelope, SimRequest, SimResponse } from '../envelope';
import type { Faults } from '../faults';
import type { SeedItem } from '../seed';
import type { UnconfirmedBehaviour } from '../unconfirmed';
import { EntityShape, collectionRefusal, matches, parseQuery, shapeRow, singleEntityRefusal } from './odata';
import { ordered } from './odataOrderBy';
import { pageStart, pageTokenRefusal, sealPage } from './pageToken';
import type { Ctx } from './routes';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/**
 * A stored item: its Graph properties, its navigation properties under `nav` (sent only with
 * $expand), and the model's own bookkeeping (throttleOnce, parent ids, owner, approvers).
 */
export type Row = Mutable<SeedItem> & Record<string, unknown>;

/** Ids are case-insensitive in Graph; stores key them lower-cased. */
export const lower = (s: string): string => s.toLowerCase();

export type CloudName = 'global' | 'usgov' | 'usgovdod' | 'china';

export interface AreaDeps {
  readonly envelope: Envelope;
  readonly faults: Faults;
  readonly now: () => number;
  /** The unconfirmed facts as currently chosen (they can change at run time). */
  readonly behaviour: () => UnconfirmedBehaviour;
  /** The national cloud this tenant plays (graph-reference §9). */
  readonly cloud: CloudName;
  /** A directory user by display name (seed items name their principals). */
  readonly userByName: (
    displayName: string,
  ) => { id: string; displayName: string; userPrincipalName: string } | undefined;
}

export function unknownRequest(d: AreaDeps, req: SimRequest): SimResponse {
  const status = d.behaviour().unknownRequestStatus;
  return d.envelope.error(
    req,
    status,
    status === 404 ? 'ResourceNotFound' : 'RequestNotFound',
    'The request was not found.',
  );
}

export function notFound(d: AreaDeps, c: Ctx, what: string): SimResponse {
  return what === 'request'
    ? unknownRequest(d, c.req)
    : d.envelope.error(c.req, 404, 'itemNotFound', `The ${what} was not found.`);
}

export function getOne(d: AreaDeps, c: Ctx, item: Row | undefined, what: string, shape: EntityShape): SimResponse {
  const single = singleEntityRefusal(c.query);
  if (single) return d.envelope.error(c.req, 400, 'BadRequest', single);
  const parsed = parseQuery(c.query, c.req.headers, shape);
  if (!parsed.ok) return d.envelope.error(c.req, 400, parsed.code, parsed.message, parsed.details);
  if (!item) return notFound(d, c, what);
  return d.envelope.json(c.req, 200, { '@odata.context': context(c), ...shapeRow(item, parsed.query, shape) });
}

/** Page size of the entitlement management collections (⚠️ the docs give none; they do page). */
export const EM_PAGE_SIZE = 25;

/**
 * A collection read; with `pageSize`, one page of it and an @odata.nextLink (a $skiptoken on the
 * same URL) while more follow, as Graph pages server-side (https://learn.microsoft.com/graph/paging).
 */
export function list(d: AreaDeps, c: Ctx, items: Row[], shape: EntityShape, pageSize?: number): SimResponse {
  const refused = collectionRefusal(c.query, shape);
  if (refused) return d.envelope.error(c.req, 400, 'BadRequest', refused);
  const parsed = parseQuery(c.query, c.req.headers, shape);
  if (!parsed.ok) return d.envelope.error(c.req, 400, parsed.code, parsed.message, parsed.details);
  const badToken = pageTokenRefusal(c, d.envelope);
  if (badToken) return badToken;
  const q = parsed.query;
  const value = ordered(
    items.filter((i) => matches(i, q.filter)),
    q.orderBy,
  ).map((i) => shapeRow(i, q, shape));
  return d.envelope.json(c.req, 200, { '@odata.context': context(c), ...pageOf(c, value, pageSize) });
}

/**
 * One page of `value` and the link to the next, when `pageSize` pages it. The caller first refuses
 * a $skiptoken this request was not given (pageTokenRefusal).
 */
export function pageOf(c: Ctx, value: unknown[], pageSize?: number): { value: unknown[]; '@odata.nextLink'?: string } {
  if (pageSize === undefined) return { value };
  const skip = pageStart(c) ?? 0;
  const page = { value: value.slice(skip, skip + pageSize) };
  if (skip + pageSize >= value.length) return page;
  const q = new URLSearchParams(c.query);
  q.set('$skiptoken', sealPage(c, skip + pageSize));
  const path = c.req.url.split('?', 1)[0] ?? '';
  return {
    ...page,
    '@odata.nextLink': `https://${c.req.headers.host ?? 'graph.microsoft.com'}${path}?${q.toString()}`,
  };
}

function context(c: Ctx): string {
  return `https://graph.microsoft.com/${c.version}/$metadata#entity`;
}

/** A navigation value for a directory user (the principal, requestor or subject of an item). */
export function userRef(d: AreaDeps, displayName: string): { id: string; displayName: string } {
  const u = d.userByName(displayName);
  return { id: u?.id ?? stableId(displayName), displayName };
}

/** A GUID-shaped id derived from a name, so the same name always maps to the same id. */
export function stableId(name: string): string {
  let h = 2166136261;
  const hex: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const ch of `${round}:${name}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    hex.push(h.toString(16).padStart(8, '0'));
  }
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-8${s.slice(17, 20)}-${s.slice(20, 32)}`;
}
