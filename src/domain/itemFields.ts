// Reading fields of a Graph item by dotted path (as the catalog names them), for the answer that
// says when and by whom an item was finished: text, and people in Graph's several shapes.

import { firstCharacters } from './characters';
import { graphName } from './shownNames';

function valueAt(item: Readonly<Record<string, unknown>> | undefined, path: string | undefined): unknown {
  if (!item || !path) return undefined;
  let v: unknown = item;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

export function textAt(item: Readonly<Record<string, unknown>> | undefined, path: string | undefined): string | null {
  const v = valueAt(item, path);
  return typeof v === 'string' && v.length > 0 ? firstCharacters(v, 200) : null;
}

/**
 * Who a Graph field names: a plain string, an identity ({displayName}), an identity set
 * ({user: {displayName}}) or a list of identities (beta approval steps' reviewedBy).
 */
export function personAt(item: Readonly<Record<string, unknown>> | undefined, path: string | undefined): string | null {
  const name = (v: unknown): string | null => {
    if (typeof v === 'string') return graphName(v, 200);
    if (Array.isArray(v)) return v.map(name).find((n) => n !== null) ?? null;
    if (v === null || typeof v !== 'object') return null;
    const o = v as Record<string, unknown>;
    return name(o.displayName) ?? name(memberOf(o));
  };
  return name(valueAt(item, path));
}

/** The Entra object id of whom a Graph field names (`id`, or `user.id` of an identity set), in the
 * same shapes as personAt; null when it names none. An identity set naming no user but an
 * application or a device (https://learn.microsoft.com/en-us/graph/api/resources/identityset?view=graph-rest-1.0)
 * gives that one's id: it names someone, and never the person reading. */
export function personIdAt(
  item: Readonly<Record<string, unknown>> | undefined,
  path: string | undefined,
): string | null {
  const id = (v: unknown): string | null => {
    if (Array.isArray(v)) return v.map(id).find((n) => n !== null) ?? null;
    if (v === null || typeof v !== 'object') return null;
    const o = v as Record<string, unknown>;
    return typeof o.id === 'string' && o.id !== '' ? o.id : id(memberOf(o));
  };
  return id(valueAt(item, path));
}

/** The member an identity set names (its first of user, application, device that names someone by
 * id or name), so that a name and an id read from one set are the same one's: a user's request
 * made through an application (`user` with "displayName": null beside the application's name) is
 * the user's. */
function memberOf(o: Readonly<Record<string, unknown>>): unknown {
  const names = (m: unknown): boolean =>
    m !== null &&
    typeof m === 'object' &&
    ['id', 'displayName'].some((k) => {
      const v = (m as Record<string, unknown>)[k];
      return typeof v === 'string' && v !== '';
    });
  return [o.user, o.application, o.device].find(names) ?? null;
}
