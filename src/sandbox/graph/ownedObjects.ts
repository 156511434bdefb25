// GET /me/ownedObjects: the directory objects the signed-in user owns (here: the seed's groups
// that name the user among their owners), as
// https://learn.microsoft.com/en-us/graph/api/user-list-ownedobjects documents it, and no more:
// - delegated permissions: User.Read, least privileged; User.Read.All, User.ReadWrite.All,
//   Directory.Read.All, Directory.ReadWrite.All higher; otherwise 403 in the directory's envelope;
// - "This method supports the OData query parameters": the model takes the generic ones a
//   directory collection pages with ($select of directoryObject's and group's own properties,
//   $top, the $skiptoken of its own @odata.nextLink). $filter, $search, $orderby, $count and
//   $expand are refused 400: the page names none for this relationship, and on directory objects
//   several work only as advanced queries (ConsistencyLevel: eventual and $count,
//   https://learn.microsoft.com/en-us/graph/aad-advanced-queries). A cast segment
//   (/ownedObjects/microsoft.graph.group) is not routed at all.
// - pages of 100 objects by default, $top up to 999, @odata.nextLink while more follow
//   (https://learn.microsoft.com/en-us/graph/paging).

import type { Envelope, SimResponse } from '../envelope';
import type { Directory } from './directory';
import { pageOf } from './items';
import { pageTokenRefusal } from './pageToken';
import type { Ctx, Route } from './routes';

/** The delegated permissions of the page's table, least privileged first. */
export const OWNED_OBJECTS_SCOPES = [
  'User.Read',
  'User.Read.All',
  'User.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
] as const;

export const OWNED_OBJECTS_PAGE = 100;
const MAX_TOP = 999;
/** directoryObject's own properties and the group properties the model keeps. */
const SELECTABLE = new Set(['id', 'deletedDateTime', 'displayName']);
const TAKEN = new Set(['$select', '$top', '$skiptoken']);

export function ownedObjectsRoutes(directory: Directory, envelope: Envelope): Route[] {
  return [
    {
      method: 'GET',
      pattern: /^\/me\/ownedObjects$/,
      policy: { admin: { scopes: [...OWNED_OBJECTS_SCOPES], roles: [] } },
      handle: (c) => ownedObjects(c, directory, envelope),
    },
  ];
}

function ownedObjects(c: Ctx, directory: Directory, envelope: Envelope): SimResponse {
  const other = [...c.query.keys()].find((k) => !TAKEN.has(k));
  if (other !== undefined) {
    return envelope.error(
      c.req,
      400,
      'Request_UnsupportedQuery',
      `The query option '${other}' is not supported on this request.`,
    );
  }
  const select = (c.query.get('$select') ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const unknown = select.find((p) => !SELECTABLE.has(p));
  if (unknown !== undefined) {
    return envelope.error(
      c.req,
      400,
      'Request_BadRequest',
      `Could not find a property named '${unknown}' on type 'microsoft.graph.directoryObject'.`,
    );
  }
  const topText = c.query.get('$top');
  const top = topText === null ? OWNED_OBJECTS_PAGE : Number(topText);
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
    return envelope.error(c.req, 400, 'Request_BadRequest', `Invalid page size specified: '${topText ?? ''}'.`);
  }
  const badToken = pageTokenRefusal(c, envelope);
  if (badToken) return badToken;
  const value = directory.ownedBy(c.caller.id).map((g) => {
    const row: Record<string, unknown> = { '@odata.type': '#microsoft.graph.group', id: g.id };
    if (select.length === 0 || select.includes('displayName')) row.displayName = g.displayName;
    if (select.includes('deletedDateTime')) row.deletedDateTime = null;
    return row;
  });
  return envelope.json(c.req, 200, {
    '@odata.context': `https://graph.microsoft.com/${c.version}/$metadata#directoryObjects`,
    ...pageOf(c, value, top),
  });
}
