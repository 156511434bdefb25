// What the three request collections (PIM roles, PIM groups, access package assignment requests)
// share: a store of rows by lower-cased id, reseeded on load, and the caller's own requests
// answered by filterByCurrentUser(on=...) (graph-reference §7).

import type { SimResponse } from '../envelope';
import { AreaDeps, Row, list, lower } from './items';
import type { EntityShape } from './odata';
import type { Ctx } from './routes';

export abstract class RequestArea<Seed> {
  protected readonly requests = new Map<string, Row>();
  /**
   * PIM eligibility schedule requests (an eligible assignment extended or renewed), kept apart:
   * none of the assignment request routes serves them; only their approvals see them.
   */
  protected readonly eligibility = new Map<string, Row>();

  constructor(protected readonly d: AreaDeps) {}

  load(seeds: readonly Seed[]): void {
    this.requests.clear();
    this.eligibility.clear();
    for (const s of seeds) this.add(s);
  }

  abstract add(seed: Seed): void;

  get(id: string): Readonly<Record<string, unknown>> | undefined {
    return this.requests.get(lower(id)) ?? this.eligibility.get(lower(id));
  }

  /** The stored rows, eligibility requests included, for the approvals that settle them. */
  rows(): ReadonlyMap<string, Row> {
    return this.eligibility.size === 0 ? this.requests : new Map([...this.requests, ...this.eligibility]);
  }

  /** Where a seed's row goes: the eligibility requests, or the assignment requests. */
  protected storeFor(seed: { readonly schedule?: 'eligibility' }): Map<string, Row> {
    return seed.schedule === 'eligibility' ? this.eligibility : this.requests;
  }

  /** The row the first path parameter names, if any. */
  protected byId(c: Ctx): Row | undefined {
    return this.requests.get(lower(c.params[0] ?? ''));
  }
}

/** How one collection answers filterByCurrentUser: which `on` values mean "mine", which field waits. */
export interface MineOptions {
  /** The `on` values that select the caller's own requests (PIM: principal; EM: target, createdBy). */
  readonly own: readonly string[];
  /** The field that reads pendingApproval while a request waits (PIM: status; EM: state). */
  readonly waitingField: 'status' | 'state';
  readonly shape: EntityShape;
  /** Served a page at a time (entitlement management); one answer when absent. */
  readonly pageSize?: number;
}

/** PIM requests (roles and groups) support only `principal` and `approver` (§7). */
export const PIM_MINE = { own: ['principal'], waitingField: 'status' } as const;

/** filterByCurrentUser(on=...): the caller's own requests, or those awaiting the caller's approval. */
export function listMine(d: AreaDeps, c: Ctx, rows: Iterable<Row>, o: MineOptions): SimResponse {
  const on = c.params[0] ?? '';
  const me = c.caller.id;
  if (o.own.includes(on))
    return list(
      d,
      c,
      [...rows].filter((r) => r.ownerId === me),
      o.shape,
      o.pageSize,
    );
  if (on === 'approver') {
    const waiting = [...rows].filter(
      (r) =>
        Array.isArray(r.approverIds) &&
        r.approverIds.includes(me) &&
        lower(String(r[o.waitingField])) === 'pendingapproval',
    );
    return list(d, c, waiting, o.shape, o.pageSize);
  }
  return d.envelope.error(c.req, 400, 'BadRequest', `The value '${on}' of the parameter 'on' is not supported.`);
}
