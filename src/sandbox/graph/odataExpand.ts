// $expand and $select as OData v4 writes them: a comma list whose items may carry options in
// parentheses, `roleDefinition($select=id,displayName)`, so commas inside parentheses do not split
// (https://learn.microsoft.com/en-us/graph/query-parameters#expand-parameter;
// https://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html, §5.1.3).

/** One item of $expand: the navigation property and the $select nested in it, if any. */
export interface Expansion {
  readonly name: string;
  readonly select: readonly string[] | null;
}

export type ExpandParse = { ok: true; items: Expansion[] } | { ok: false; message: string };

/** Splits on `sep` outside parentheses; empty items dropped. Null when the parentheses do not pair. */
function splitTopLevel(raw: string, sep: string): string[] | null {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return null;
    else if (ch === sep && depth === 0) {
      out.push(raw.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) return null;
  out.push(raw.slice(start));
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/** A $expand value: each item's name and nested $select; any other nested option is refused. */
export function parseExpand(raw: string | null): ExpandParse {
  if (raw === null) return { ok: true, items: [] };
  const parts = splitTopLevel(raw, ',');
  if (parts === null) return { ok: false, message: `Invalid $expand: unbalanced parentheses in '${raw}'.` };
  const items: Expansion[] = [];
  for (const part of parts) {
    const m = /^([A-Za-z][A-Za-z0-9_.]*)\s*(?:\((.*)\))?$/s.exec(part);
    if (!m) return { ok: false, message: `Invalid $expand item: '${part}'.` };
    const name = m[1] ?? '';
    let select: string[] | null = null;
    const options = m[2] === undefined ? [] : (splitTopLevel(m[2], ';') ?? []);
    for (const option of options) {
      const o = /^\$?([A-Za-z]+)\s*=(.*)$/s.exec(option);
      if (!o || (o[1] ?? '').toLowerCase() !== 'select') {
        // The query-parameters page documents only $select inside $expand; the identity
        // governance relationships document nothing else nested.
        return { ok: false, message: `The query option '${option}' nested in $expand of '${name}' is not supported.` };
      }
      select = splitList(o[2] ?? '');
    }
    items.push({ name, select });
  }
  return { ok: true, items };
}

export function splitList(raw: string | null): string[] {
  return raw === null
    ? []
    : raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}
