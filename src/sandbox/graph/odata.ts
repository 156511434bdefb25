// What a read returns, as Graph shapes it: navigation properties only when $expand names them,
// $select, the simple `$filter` clauses the identity-governance pages document (`prop eq 'value'`
// joined by `and`), and evolvable enum members hidden as `unknownFutureValue` unless the request
// sends `Prefer: include-unknown-enum-members` (graph-reference §6, §7, §12.6).

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
}

export interface Clause {
  readonly path: readonly string[];
  readonly op: 'eq' | 'ne';
  readonly value: string;
}

export interface ReadQuery {
  readonly filter: readonly Clause[];
  readonly expand: readonly string[];
  readonly select: readonly string[] | null;
  readonly includeUnknownEnums: boolean;
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
  'approverIds',
  'isRoleAssignable',
  'cancelRequestedAt',
]);

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
  const expand = splitList(params.get('$expand'));
  for (const name of expand) {
    if (!shape.navigation.includes(name)) {
      return bad(`Could not find a navigation property named '${name}' on type '${shape.type}'.`);
    }
  }
  const rawSelect = params.get('$select');
  const prefer = (headers.prefer ?? '').split(',').map((p) => p.trim().toLowerCase());
  return {
    ok: true,
    query: {
      filter,
      expand,
      select: rawSelect === null ? null : splitList(rawSelect),
      includeUnknownEnums: prefer.includes('include-unknown-enum-members'),
    },
  };
}

function splitList(raw: string | null): string[] {
  return raw === null
    ? []
    : raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
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
    if (q.select && k !== '@odata.type' && k !== 'id' && !q.select.includes(k)) continue;
    const hidden = shape.evolvable?.[k];
    out[k] = !q.includeUnknownEnums && hidden && typeof v === 'string' && hidden.includes(v) ? 'unknownFutureValue' : v;
  }
  const nav = (row.nav ?? {}) as Row;
  for (const name of q.expand) out[name] = nav[name] ?? null;
  return out;
}
