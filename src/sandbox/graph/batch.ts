// JSON batching: POST /{version}/$batch with at most 20 requests, each run as if sent alone with
// the batch's token, answered in one 200 (graph-reference §11).
// https://learn.microsoft.com/en-us/graph/json-batching

import type { Envelope, SimRequest, SimResponse } from '../envelope';

export const BATCH_MAX = 20;

interface BatchItem {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

/** Null when the request is not a batch; otherwise the batch's answer. */
export function handleBatch(
  req: SimRequest,
  path: string,
  envelope: Envelope,
  one: (req: SimRequest) => SimResponse,
): SimResponse | null {
  const m = /^\/(v1\.0|beta)\/\$batch$/.exec(path);
  if (!m || req.method.toUpperCase() !== 'POST') return null;
  let parsed: { requests?: unknown };
  try {
    parsed = JSON.parse(req.body ?? '') as { requests?: unknown };
  } catch {
    return envelope.error(req, 400, 'BadRequest', 'Invalid batch payload format.');
  }
  const items = parsed.requests;
  if (!Array.isArray(items) || items.length === 0) {
    return envelope.error(req, 400, 'BadRequest', 'The batch must contain requests.');
  }
  if (items.length > BATCH_MAX) {
    return envelope.error(req, 400, 'BadRequest', `A batch may contain at most ${BATCH_MAX} requests.`);
  }
  const ids = new Set<string>();
  for (const raw of items as BatchItem[]) {
    const id = String(raw?.id ?? '').toLowerCase();
    if (id === '' || ids.has(id) || typeof raw.url !== 'string' || typeof raw.method !== 'string') {
      return envelope.error(req, 400, 'BadRequest', 'Every batch request needs a unique id, a method and a url.');
    }
    ids.add(id);
  }
  const responses = (items as BatchItem[]).map((item) => {
    const sub: SimRequest = {
      method: item.method,
      url: `/${m[1]}${item.url.startsWith('/') ? '' : '/'}${item.url}`,
      headers: {
        host: req.headers.host,
        authorization: req.headers.authorization,
        ...Object.fromEntries(Object.entries(item.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
      },
      ...(item.body === undefined ? {} : { body: JSON.stringify(item.body) }),
    };
    const res = one(sub);
    let body: unknown = undefined;
    try {
      body = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      body = res.body;
    }
    return { id: item.id, status: res.status, headers: res.headers, ...(body === undefined ? {} : { body }) };
  });
  return envelope.json(req, 200, { responses });
}
