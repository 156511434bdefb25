// Finding one item by id in a filtered Graph collection, page by page (the self-service reads and
// the read before a decision): the id cannot always be filtered on, and a page may be empty while
// its @odata.nextLink points on (https://learn.microsoft.com/graph/paging).

import { GraphAnswer, GraphRequestLine } from './graphCaller';

/** Pages of one's own requests read at most while looking for one of them. */
export const SELF_READ_PAGES = 20;

/** The query of a read by id: `$filter=id eq '{id}'` unless the type's id cannot be filtered on
 * (`idFilter` false), and the navigation properties to expand. */
export function byIdQuery(
  read: { readonly idFilter?: false; readonly expand?: readonly string[] },
  id: string,
): Record<string, string> {
  const query: Record<string, string> = read.idFilter === false ? {} : { $filter: `id eq '${id}'` };
  if (read.expand?.length) query.$expand = read.expand.join(',');
  return query;
}

/** What a search by id found, and whether a miss means the collection does not hold the id. */
export interface Search {
  /** The element with this id and the answer that held it; null when the pages read did not hold it. */
  readonly found: { readonly item: Record<string, unknown>; readonly answer: GraphAnswer } | null;
  /** Every page was read (the last had no @odata.nextLink). False when the search stopped before
   * (its page limit, a link elsewhere, or `call` giving up): a miss then says nothing of the rest. */
  readonly complete: boolean;
  /** Why a search not complete stopped, so its words can say so truthfully: `pageLimit` after
   * SELF_READ_PAGES pages, `linkElsewhere` at a nextLink outside this Graph root and version (never
   * followed), `gaveUp` when `call` gave null. Null when complete. */
  readonly stopped: 'pageLimit' | 'linkElsewhere' | 'gaveUp' | null;
  /** How many elements the pages read held. */
  readonly read: number;
  /** How many pages were read. */
  readonly pages: number;
}

/**
 * The element of a filtered collection with this id, and the answer that held it: page after page,
 * following @odata.nextLink under this Graph root (`endpoint`), at most SELF_READ_PAGES pages; a
 * link anywhere else is never followed with the user's token. `call` reads one page, or gives null
 * to stop.
 */
export async function findById(
  endpoint: string,
  version: GraphRequestLine['version'],
  firstPath: string,
  query: Readonly<Record<string, string>>,
  id: string,
  call: (request: GraphRequestLine, path: string) => Promise<GraphAnswer | null>,
): Promise<Search> {
  let request: GraphRequestLine = { method: 'GET', version, query };
  let path: string | null = firstPath;
  let read = 0;
  let pages = 0;
  const miss = (stopped: Search['stopped']): Search => ({
    found: null,
    complete: stopped === null,
    stopped,
    read,
    pages,
  });
  while (pages < SELF_READ_PAGES) {
    const answer = await call(request, path);
    if (answer === null) return miss('gaveUp');
    pages += 1;
    const body = objectOf(parseJson(answer.bodyText));
    const value = Array.isArray(body?.value) ? body.value.map(objectOf) : [];
    read += value.length;
    const item = value.find((v) => typeof v?.id === 'string' && v.id.toLowerCase() === id);
    if (item) return { found: { item, answer }, complete: true, stopped: null, read, pages };
    const link = body?.['@odata.nextLink'];
    if (link === undefined || link === null) return miss(null);
    // The next page carries its own query; a link elsewhere ends the search unfinished.
    path = nextPath(endpoint, version, link);
    if (path === null) return miss('linkElsewhere');
    request = { method: 'GET', version };
  }
  return miss('pageLimit');
}

/** An @odata.nextLink under this Graph root (`endpoint`) and version, as a path; null for anything
 * else: the user's token goes nowhere else. */
export function nextPath(endpoint: string, version: GraphRequestLine['version'], next: unknown): string | null {
  const root = `${endpoint}/${version}/`;
  return typeof next === 'string' && next.startsWith(root) ? `/${next.slice(root.length)}` : null;
}

export function parseJson(text: string | null): unknown {
  try {
    return JSON.parse(text ?? '{}') as unknown;
  } catch {
    return undefined;
  }
}

export function objectOf(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
