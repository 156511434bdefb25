// What every Graph area shares: its stored rows, and reading one or a list of them.

import type { Envelope, SimRequest, SimResponse } from '../envelope';
import type { Faults } from '../faults';
import type { SeedItem } from '../seed';
import type { Ctx } from './routes';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** A stored item: its Graph properties plus the model's own (throttleOnce, parent ids). */
export type Row = Mutable<SeedItem> & Record<string, unknown>;

/** Ids are case-insensitive in Graph; stores key them lower-cased. */
export const lower = (s: string): string => s.toLowerCase();

export interface AreaDeps {
  readonly envelope: Envelope;
  readonly faults: Faults;
  readonly now: () => number;
  /** Status for an unknown PIM/EM request id (graph-reference §13: not confirmed). */
  readonly unknownRequestStatus: 400 | 404;
}

export function unknownRequest(d: AreaDeps, req: SimRequest): SimResponse {
  const status = d.unknownRequestStatus;
  return d.envelope.error(
    req,
    status,
    status === 404 ? 'ResourceNotFound' : 'RequestNotFound',
    'The request was not found.',
  );
}

export function getOne(d: AreaDeps, c: Ctx, item: Row | undefined, what: string): SimResponse {
  if (!item) {
    return what === 'request'
      ? unknownRequest(d, c.req)
      : d.envelope.error(c.req, 404, 'itemNotFound', `The ${what} was not found.`);
  }
  return d.envelope.json(c.req, 200, { '@odata.context': context(c), ...publicShape(item) });
}

export function list(d: AreaDeps, c: Ctx, items: Row[]): SimResponse {
  return d.envelope.json(c.req, 200, { '@odata.context': context(c), value: items.map((i) => publicShape(i)) });
}

function publicShape(item: Row): Record<string, unknown> {
  const { throttleOnce: _t, workflowId: _w, taskId: _k, ...rest } = item as Record<string, unknown>;
  return rest;
}

function context(c: Ctx): string {
  return `https://graph.microsoft.com/${c.version}/$metadata#entity`;
}
