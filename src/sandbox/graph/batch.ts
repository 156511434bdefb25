// JSON batching: POST /{version}/$batch with at most 20 requests, each run as if sent alone with
// the batch's token, answered in one 200 (graph-reference §11). As the page says: a request with a
// body must name its Content-Type in its headers (else the batch is malformed: 400); a request
// whose dependsOn names a failed request fails with 424; and each answer's headers are spelled as
// Graph spells them (Content-Type, Retry-After), so a reader must not expect lower case.
// https://learn.microsoft.com/en-us/graph/json-batching

import type { Envelope, SimRequest, SimResponse } from '../envelope';
import { UNREADABLE_PAYLOAD, isJsonContent } from './routes';

const BATCH_MAX = 20;
/**
 * A request to $batch inside a batch. The page lists no such request and Graph's batching is one
 * level; refused (400) rather than run, the stricter reading.
 */
const NESTED = /^\/?(v1\.0\/|beta\/)?\$batch(\?|\/|$)/i;
const NESTED_REFUSED = 'A batch request cannot contain another batch request.';

interface BatchItem {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly dependsOn?: unknown;
}

/** How the batch page's example answers spell the headers the simulated tenant sends. */
const SPELLED: Readonly<Record<string, string>> = {
  'content-type': 'Content-Type',
  'retry-after': 'Retry-After',
  'cache-control': 'Cache-Control',
};

/** Null when the request is not a batch; otherwise the batch's answer. */
export function handleBatch(
  req: SimRequest,
  path: string,
  envelope: Envelope,
  one: (req: SimRequest) => SimResponse,
): SimResponse | null {
  const m = /^\/(v1\.0|beta)\/\$batch$/.exec(path);
  if (!m || req.method.toUpperCase() !== 'POST') return null;
  // The batch body is read as a single call's is: JSON only under Content-Type: application/json.
  if (!isJsonContent(req)) return envelope.error(req, 400, 'BadRequest', UNREADABLE_PAYLOAD);
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body ?? '') as unknown;
  } catch {
    return envelope.error(req, 400, 'BadRequest', 'Invalid batch payload format.');
  }
  // The body is a JSON object with `requests`: JSON of any other shape (null, an array, a string)
  // is a malformed batch too.
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return envelope.error(req, 400, 'BadRequest', 'Invalid batch payload format.');
  }
  const items = (parsed as { requests?: unknown }).requests;
  if (!Array.isArray(items) || items.length === 0) {
    return envelope.error(req, 400, 'BadRequest', 'The batch must contain requests.');
  }
  if (items.length > BATCH_MAX) {
    return envelope.error(req, 400, 'BadRequest', `A batch may contain at most ${BATCH_MAX} requests.`);
  }
  const ids = new Set<string>();
  for (const raw of items as BatchItem[]) {
    // "id: Required. String." (a number or an object is no id: the batch is malformed).
    const id = typeof raw?.id === 'string' ? raw.id.toLowerCase() : '';
    if (id === '' || ids.has(id) || typeof raw.url !== 'string' || typeof raw.method !== 'string') {
      return envelope.error(req, 400, 'BadRequest', 'Every batch request needs a unique id, a method and a url.');
    }
    ids.add(id);
    const named = Object.keys(raw.headers ?? {}).some((k) => k.toLowerCase() === 'content-type');
    if (raw.body !== undefined && !named) {
      return envelope.error(
        req,
        400,
        'BadRequest',
        `Request '${raw.id}' has a body but no Content-Type header; a batch request with a body must name its Content-Type.`,
      );
    }
  }
  const all = items as BatchItem[];
  for (const item of all) {
    const deps = dependsOnOf(item);
    if (deps === null || deps.some((d) => !ids.has(d.toLowerCase()) || d.toLowerCase() === item.id.toLowerCase())) {
      return envelope.error(
        req,
        400,
        'BadRequest',
        `Request '${item.id}' has a dependsOn that names no other request of the batch.`,
      );
    }
  }
  const answered = new Map<string, { id: string; status: number; headers: Record<string, string>; body?: unknown }>();
  const run = (item: BatchItem, path: ReadonlySet<string>): { status: number } => {
    const key = item.id.toLowerCase();
    const done = answered.get(key);
    if (done) return done;
    // A request runs after those it depends on; one of them failing fails it with 424.
    const failed = (dependsOnOf(item) ?? []).some((d) => {
      const dep = all.find((x) => x.id.toLowerCase() === d.toLowerCase())!;
      return path.has(d.toLowerCase()) || run(dep, new Set([...path, key])).status >= 400;
    });
    const answer = failed
      ? {
          id: item.id,
          ...itemAnswer(envelope.error(req, 424, 'FailedDependency', 'A request this one depends on failed.')),
        }
      : NESTED.test(item.url)
        ? { id: item.id, ...itemAnswer(envelope.error(req, 400, 'BadRequest', NESTED_REFUSED)) }
        : { id: item.id, ...itemAnswer(one(subRequest(item))) };
    answered.set(key, answer);
    return answer;
  };
  const subRequest = (item: BatchItem): SimRequest => ({
    method: item.method,
    url: `/${m[1]}${item.url.startsWith('/') ? '' : '/'}${item.url}`,
    // The batch's own host and token, after the request's headers: a request's Authorization
    // header never stands in for the batch's.
    headers: {
      ...Object.fromEntries(Object.entries(item.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
      host: req.headers.host,
      authorization: req.headers.authorization,
    },
    ...(item.body === undefined ? {} : { body: JSON.stringify(item.body) }),
  });
  for (const item of all) run(item, new Set());
  return envelope.json(req, 200, { responses: all.map((item) => answered.get(item.id.toLowerCase())!) });
}

/** The ids a request depends on; [] when none; null when dependsOn is not a list of ids. */
function dependsOnOf(item: BatchItem): string[] | null {
  if (item.dependsOn === undefined) return [];
  if (!Array.isArray(item.dependsOn) || item.dependsOn.some((d) => typeof d !== 'string')) return null;
  return item.dependsOn as string[];
}

/** One answer as a batch carries it: status, headers as Graph spells them, the body as JSON. */
function itemAnswer(res: SimResponse): { status: number; headers: Record<string, string>; body?: unknown } {
  let body: unknown = undefined;
  try {
    body = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    body = res.body;
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) headers[SPELLED[k.toLowerCase()] ?? k] = v;
  return { status: res.status, headers, ...(body === undefined ? {} : { body }) };
}
