// Entitlement management: access package assignment requests, graph-reference §4.

import type { SimResponse } from '../envelope';
import type { SeedAccessRequest } from '../seed';
import { AreaDeps, Row, getOne, lower, unknownRequest } from './items';
import { Ctx, ID, Route } from './routes';

const EM = '/identityGovernance/entitlementManagement';
// Cancellable states, graph-reference §4.
const EM_CANCELLABLE = ['submitted', 'pendingapproval', 'scheduled'];
// Delegated scopes, graph-reference §8 (least first).
const SCOPES = {
  write: ['EntitlementMgmt-SubjectAccess.ReadWrite', 'EntitlementManagement.ReadWrite.All'],
  read: [
    'EntitlementMgmt-SubjectAccess.ReadWrite',
    'EntitlementManagement.Read.All',
    'EntitlementManagement.ReadWrite.All',
  ],
} as const;

export class EntitlementManagement {
  private readonly requests = new Map<string, Row>();

  constructor(private readonly d: AreaDeps) {}

  load(requests: readonly SeedAccessRequest[]): void {
    this.requests.clear();
    for (const r of requests) this.add(r);
  }

  add(r: SeedAccessRequest): void {
    this.requests.set(lower(r.id), {
      id: r.id,
      state: r.state,
      status: r.status,
      requestType: r.requestType,
      createdDateTime: new Date(this.d.now() - 600_000).toISOString(),
      completedDateTime: null,
      accessPackage: { displayName: r.accessPackageName },
      requestor: { displayName: r.requestor },
      throttleOnce: r.throttleOnce ?? false,
    });
  }

  get(id: string): Readonly<Record<string, unknown>> | undefined {
    return this.requests.get(lower(id));
  }

  routes(): Route[] {
    return [
      {
        method: 'POST',
        pattern: new RegExp(`^${EM}/assignmentRequests/${ID}/cancel$`),
        scopes: SCOPES.write,
        handle: (c) => this.cancel(c),
      },
      {
        // The beta-only older name of the same collection.
        method: 'POST',
        pattern: new RegExp(`^${EM}/accessPackageAssignmentRequests/${ID}/cancel$`),
        scopes: SCOPES.write,
        betaOnly: true,
        handle: (c) => this.cancel(c),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${EM}/assignmentRequests/${ID}$`),
        scopes: SCOPES.read,
        handle: (c) => getOne(this.d, c, this.requests.get(lower(c.params[0] ?? '')), 'request'),
      },
    ];
  }

  private cancel(c: Ctx): SimResponse {
    const { envelope } = this.d;
    const item = this.requests.get(lower(c.params[0] ?? ''));
    if (!item) return unknownRequest(this.d, c.req);
    if (c.version === 'v1.0' && c.body !== undefined) {
      // v1.0: "Do not supply a request body"; beta accepts {id, requestStatus: "cancelled"}.
      return envelope.error(c.req, 400, 'BadRequest', 'This action does not take a request body.');
    }
    if (c.version === 'beta' && c.body !== undefined) {
      const b = c.body as { id?: unknown; requestStatus?: unknown };
      if (b.requestStatus !== undefined && lower(String(b.requestStatus)) !== 'cancelled') {
        return envelope.error(c.req, 400, 'BadRequest', 'requestStatus must be cancelled.');
      }
    }
    if (!EM_CANCELLABLE.includes(lower(String(item.state)))) {
      return envelope.error(
        c.req,
        400,
        'BadRequest',
        'The access package assignment request cannot be cancelled in its current state.',
      );
    }
    const throttled = this.d.faults.throttleOnce(c.req, item);
    if (throttled) return throttled;
    item.state = 'canceled';
    item.status = 'Canceled';
    item.completedDateTime = new Date(this.d.now()).toISOString();
    return envelope.ok(c.req, 200);
  }
}
