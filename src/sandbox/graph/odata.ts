// What a read returns, as Graph shapes it: navigation properties only when $expand names them,
// $select, the simple `$filter` clauses the identity-governance pages document (`prop eq 'value'`
// joined by `and`), and evolvable enum members hidden as `unknownFutureValue` unless the request
// sends `Prefer: include-unknown-enum-members` (graph-reference §6, §7, §12.6). $select, a $select
// nested in $expand and the collection options ($orderby, $top, ...) are held to what each type's
// pages document (declaredProperties.ts); an option the pages do not document is refused, which
// https://learn.microsoft.com/en-us/graph/query-parameters#error-handling-for-query-parameters allows.

import { Expansion, parseExpand, splitList } from './odataExpand';
import { OrderKey, parseOrderBy } from './odataOrderBy';

/** How one entity type reads. */
export interface EntityShape {
  /** The type name, as Graph's errors spell it. */
  readonly type: string;
  /** Navigation properties: present only with $expand. */
  readonly navigation: readonly string[];
  /** Properties (or nav/id paths) that $filter accepts. */
  readonly filterable: readonly string[];
  /** Filterable properties whose page says `Supports $filter (eq)`: `ne` is refused. */
  readonly eqOnly?: readonly string[];
  /**
   * How the service refuses a $filter it does not support, when its answer is known (identity
   * governance services answer InvalidFilter); otherwise a generic BadRequest.
   */
  readonly filterRefusal?: (clause: Clause) => { code: string; message: string; details?: readonly unknown[] };
  /** Enum members listed after unknownFutureValue, by property. */
  readonly evolvable?: Readonly<Record<string, readonly string[]>>;
  /**
   * The declared properties (the resource page's Properties table): $select names these or
   * navigation properties, anything else is a 400. Absent: $select is not checked.
   */
  readonly properties?: readonly string[];
  /**
   * The relationships whose row says "Supports $expand and $select nested in $expand", with the
   * type they reach and the properties a nested $select may name. A relationship absent here takes
   * no nested $select.
   */
  readonly nestedSelect?: Readonly<Record<string, { readonly type: string; readonly properties: readonly string[] }>>;
  /**
   * The collection options beyond $select, $filter and $expand that the list pages of this type
   * document ($top, $orderby, ...); any other is refused. Absent: not checked.
   */
  readonly collectionOptions?: readonly string[];
  /** The properties whose row says "Supports ... $orderby" (with '$orderby' in collectionOptions). */
  readonly orderable?: readonly string[];
}

export interface Clause {
  readonly path: readonly string[];
  readonly op: 'eq' | 'ne';
  readonly value: string;
}

export interface ReadQuery {
  readonly filter: readonly Clause[];
  readonly expand: readonly Expansion[];
  readonly select: readonly string[] | null;
  readonly includeUnknownEnums: boolean;
  /** $orderby, where the list pages document it; empty otherwise. */
  readonly orderBy: readonly OrderKey[];
}

export type Parsed =
  { ok: true; query: ReadQuery } | { ok: false; code: string; message: string; details?: readonly unknown[] };

/** The model's own bookkeeping on a row, never sent. */
const INTERNAL = new Set([
  'throttleOnce',
  'workflowId',
  'taskId',
  'nav',
  'ownerId',
  'creatorId',
  'approverIds',
  'isRoleAssignable',
  'cancelRequestedAt',
]);

/**
 * The options OData applies only to collections (https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html
 * §5.1.1-§5.1.6: "$filter ... a collection", "$orderby ... a collection", $top/$skip/$count/$search
 * likewise).
 */
const COLLECTION_OPTIONS = ['$filter', '$orderby', '$top', '$skip', '$count', '$search'] as const;

/**
 * A read of one entity that carries a collection option: Graph's pages say such an option "might
 * fail silently" or answer an error (https://learn.microsoft.com/en-us/graph/query-parameters#error-handling-for-query-parameters);
 * the simulated tenant answers the error, so a client never believes an ignored $filter checked
 * anything. The words are ASP.NET OData's for it; ⚠️ the services' own words are not documented.
 */
export function singleEntityRefusal(params: URLSearchParams): string | null {
  const found = COLLECTION_OPTIONS.find((o) => params.has(o));
  return found === undefined
    ? null
    : 'The query specified in the URI is not valid. The requested resource is not a collection. ' +
        'Query options $filter, $orderby, $count, $skip, and $top can be applied only on collections.';
}

/** The options as the OData library's AllowedQueryOptions spells them. */
const OPTION_NAMES: Readonly<Record<(typeof COLLECTION_OPTIONS)[number], string>> = {
  $filter: 'Filter',
  $orderby: 'OrderBy',
  $top: 'Top',
  $skip: 'Skip',
  $count: 'Count',
  $search: 'Search',
};

/**
 * A collection option this type's list pages do not document ($top, $orderby, ...), refused (in
 * ASP.NET OData's words, as for singleEntityRefusal).
 */
export function collectionRefusal(params: URLSearchParams, shape: EntityShape): string | null {
  if (!shape.collectionOptions) return null;
  const allowed = ['$filter', ...shape.collectionOptions];
  const found = COLLECTION_OPTIONS.find((o) => params.has(o) && !allowed.includes(o));
  if (found === undefined) return null;
  const name = OPTION_NAMES[found];
  return (
    `The query specified in the URI is not valid. Query option '${name}' is not allowed. ` +
    "To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings."
  );
}

/** The words of Graph's OData parser for a $select it cannot resolve (microsoft-graph-docs-contrib#4529). */
const noProperty = (name: string, type: string): string =>
  `Parsing OData Select and Expand failed: Could not find a property named '${name}' on type '${type}'.`;

const CLAUSE = /^([A-Za-z]+(?:\/[A-Za-z]+)?)\s+(eq|ne)\s+'((?:[^']|'')*)'$/;

export function parseQuery(
  params: URLSearchParams,
  headers: Readonly<Record<string, string | undefined>>,
  shape: EntityShape,
): Parsed {
  const bad = (message: string): Parsed => ({ ok: false, code: 'BadRequest', message });
  const filter: Clause[] = [];
  const rawFilter = params.get('$filter');
  if (rawFilter !== null) {
    for (const part of rawFilter.trim().split(/\s+and\s+/i)) {
      const m = CLAUSE.exec(part.trim());
      if (!m) return bad(`Invalid filter clause: '${part}'.`);
      const path = (m[1] ?? '').split('/');
      const op = (m[2] ?? '').toLowerCase() as 'eq' | 'ne';
      const clause: Clause = { path, op, value: (m[3] ?? '').replace(/''/g, "'") };
      const name = path.join('/').toLowerCase();
      const supported =
        shape.filterable.some((f) => f.toLowerCase() === name) &&
        (op === 'eq' || !shape.eqOnly?.some((f) => f.toLowerCase() === name));
      if (!supported) {
        if (shape.filterRefusal) return { ok: false, ...shape.filterRefusal(clause) };
        return bad(
          shape.filterable.some((f) => f.toLowerCase() === name)
            ? `Invalid filter clause: the property '${path.join('/')}' of ${shape.type} supports only 'eq'.`
            : `Invalid filter clause: the property '${path.join('/')}' of ${shape.type} does not support $filter.`,
        );
      }
      filter.push(clause);
    }
  }
  const expanded = parseExpand(params.get('$expand'));
  if (!expanded.ok) return bad(expanded.message);
  const expand = expanded.items;
  for (const { name, select: nested } of expand) {
    if (!shape.navigation.includes(name)) {
      return bad(`Could not find a navigation property named '${name}' on type '${shape.type}'.`);
    }
    if (nested === null) continue;
    const target = shape.nestedSelect?.[name];
    if (!target) return bad(`$select nested in $expand is not supported for '${name}' on type '${shape.type}'.`);
    const unknown = nested.find((p) => !target.properties.includes(p));
    if (unknown !== undefined) return bad(noProperty(unknown, target.type));
  }
  const rawSelect = params.get('$select');
  if (rawSelect !== null && shape.properties) {
    const known = [...shape.properties, ...shape.navigation, '*'];
    const unknown = splitList(rawSelect).find((p) => !known.includes(p));
    if (unknown !== undefined) return bad(noProperty(unknown, shape.type));
  }
  const orderBy = shape.collectionOptions?.includes('$orderby')
    ? parseOrderBy(params.get('$orderby'), shape.orderable ?? [], shape.type)
    : ({ ok: true, keys: [] } as const);
  if (!orderBy.ok) return bad(orderBy.message);
  const prefer = (headers.prefer ?? '').split(',').map((p) => p.trim().toLowerCase());
  return {
    ok: true,
    query: {
      filter,
      expand,
      select: rawSelect === null ? null : splitList(rawSelect),
      includeUnknownEnums: prefer.includes('include-unknown-enum-members'),
      orderBy: orderBy.keys,
    },
  };
}

type Row = Readonly<Record<string, unknown>>;

function valueAt(row: Row, path: readonly string[]): unknown {
  const nav = (row.nav ?? {}) as Row;
  let v: unknown = path[0] !== undefined && path[0] in row ? row[path[0]] : nav[path[0] ?? ''];
  for (const seg of path.slice(1)) v = v && typeof v === 'object' ? (v as Row)[seg] : undefined;
  return v;
}

export function matches(row: Row, filter: readonly Clause[]): boolean {
  return filter.every((c) => {
    const v = valueAt(row, c.path);
    // Ids are GUIDs and string enums are compared case-insensitively by these services.
    const same = typeof v === 'string' && v.toLowerCase() === c.value.toLowerCase();
    return c.op === 'eq' ? same : !same;
  });
}

/** The row as Graph returns it for this query. */
export function shapeRow(row: Row, q: ReadQuery, shape: EntityShape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (INTERNAL.has(k)) continue;
    if (q.select && !q.select.includes('*') && !kept(k, q.select)) continue;
    const hidden = shape.evolvable?.[k];
    out[k] = !q.includeUnknownEnums && hidden && typeof v === 'string' && hidden.includes(v) ? 'unknownFutureValue' : v;
  }
  const nav = (row.nav ?? {}) as Row;
  for (const { name, select } of q.expand) out[name] = selected(nav[name] ?? null, select);
  return out;
}

/** The key and type always come back; other properties only when $select names them. */
const kept = (k: string, select: readonly string[]): boolean => k === '@odata.type' || k === 'id' || select.includes(k);

/** An expanded value cut to its nested $select. */
function selected(value: unknown, select: readonly string[] | null): unknown {
  if (select === null || value === null || typeof value !== 'object' || select.includes('*')) return value;
  return Object.fromEntries(Object.entries(value as Row).filter(([k]) => kept(k, select)));
}
