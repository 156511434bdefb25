// $orderby where a list page documents it: `prop [asc|desc]`, comma separated, on the properties
// whose row says "Supports ... $orderby"; ascending by default, null before any value
// (https://learn.microsoft.com/en-us/graph/query-parameters#orderby-parameter;
// https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html §5.1.4).

export interface OrderKey {
  readonly property: string;
  readonly descending: boolean;
}

export type OrderParse = { ok: true; keys: OrderKey[] } | { ok: false; message: string };

export function parseOrderBy(raw: string | null, orderable: readonly string[], type: string): OrderParse {
  if (raw === null) return { ok: true, keys: [] };
  const keys: OrderKey[] = [];
  for (const part of raw.split(',')) {
    const m = /^\s*([A-Za-z]+)(?:\s+(asc|desc))?\s*$/i.exec(part);
    if (!m) return { ok: false, message: `Invalid $orderby item: '${part.trim()}'.` };
    const property = m[1] ?? '';
    if (!orderable.includes(property)) {
      return { ok: false, message: `The property '${property}' of ${type} does not support $orderby.` };
    }
    keys.push({ property, descending: (m[2] ?? '').toLowerCase() === 'desc' });
  }
  return { ok: true, keys };
}

type Row = Readonly<Record<string, unknown>>;

/** The rows in the order the keys ask (a stable sort: equal rows keep their order). */
export function ordered<T extends Row>(rows: readonly T[], keys: readonly OrderKey[]): T[] {
  if (keys.length === 0) return [...rows];
  return [...rows].sort((a, b) => {
    for (const { property, descending } of keys) {
      const c = compare(a[property], b[property]);
      if (c !== 0) return descending ? -c : c;
    }
    return 0;
  });
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  // ISO 8601 date-times and enum names order as strings.
  return String(a) < String(b) ? -1 : 1;
}
