// The $skiptoken of the tenant's @odata.nextLink: opaque, and good only for the request it was given
// for. "Don't try to extract the $skiptoken or $skip value and use it in a different request"
// (https://learn.microsoft.com/graph/paging): a token made up by the client, altered, or carried over
// to another collection or another query is refused (400; the page names no status, a refusal is
// the strict reading), where reading it as a plain offset would serve a page Graph would not.

import { createHmac, randomBytes } from 'node:crypto';
import type { Envelope, SimResponse } from '../envelope';
import type { Ctx } from './routes';

/** Signs the tokens of this process's tenants: no token outlives it, none can be forged. */
const KEY = randomBytes(32);

/** What a token is bound to: the method, the path and every other query option, in any encoding. */
function binding(c: Ctx): string {
  const raw = c.req.url.split('?', 1)[0] ?? '';
  let path = raw;
  try {
    path = decodeURIComponent(raw);
  } catch {
    // left as sent
  }
  const rest = [...c.query.entries()]
    .filter(([k]) => k !== '$skiptoken')
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1));
  return JSON.stringify([c.req.method.toUpperCase(), path, rest]);
}

function mac(offset: number, c: Ctx): string {
  return createHmac('sha256', KEY)
    .update(`${offset}\n${binding(c)}`)
    .digest('base64url');
}

/** The $skiptoken of the page that starts at `offset` of this same request. */
export function sealPage(c: Ctx, offset: number): string {
  return `${Buffer.from(String(offset)).toString('base64url')}.${mac(offset, c)}`;
}

/** Where the page starts: 0 without a $skiptoken, null for a token the tenant did not give for this request. */
export function pageStart(c: Ctx): number | null {
  const token = c.query.get('$skiptoken');
  if (token === null) return 0;
  const [head = '', sig = ''] = token.split('.', 2);
  const offset = Number(Buffer.from(head, 'base64url').toString());
  if (!Number.isSafeInteger(offset) || offset < 0 || sig !== mac(offset, c)) return null;
  return offset;
}

/** Graph's 400 for a $skiptoken it did not give for this request; null when there is none or it is good. */
export function pageTokenRefusal(c: Ctx, envelope: Envelope): SimResponse | null {
  if (pageStart(c) !== null) return null;
  return envelope.error(
    c.req,
    400,
    'BadRequest',
    'The $skiptoken is not valid for this request; follow the @odata.nextLink of the previous page as it was given.',
  );
}
