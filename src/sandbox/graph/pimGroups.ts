// PIM for Groups: group assignment schedule requests, graph-reference §2.

import { randomUUID } from 'node:crypto';
import type { SeedGroupRequest } from '../seed';
import { AreaDeps, Row, getOne, lower } from './items';
import { cancelPimRequest } from './pimCancel';
import { ID, Route } from './routes';

const REQUESTS = '/identityGovernance/privilegedAccess/group/assignmentScheduleRequests';
// Delegated scopes, graph-reference §8 (least first).
const SCOPES = {
  write: ['PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup'],
  read: ['PrivilegedAssignmentSchedule.Read.AzureADGroup', 'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup'],
} as const;

export class PimGroups {
  private readonly requests = new Map<string, Row>();

  constructor(private readonly d: AreaDeps) {}

  load(requests: readonly SeedGroupRequest[]): void {
    this.requests.clear();
    for (const r of requests) this.add(r);
  }

  add(r: SeedGroupRequest): void {
    this.requests.set(lower(r.id), {
      '@odata.type': '#microsoft.graph.privilegedAccessGroupAssignmentScheduleRequest',
      id: r.id,
      status: r.status,
      accessId: r.accessId,
      action: 'selfActivate',
      groupId: randomUUID(),
      principalId: randomUUID(),
      justification: r.justification,
      createdDateTime: new Date(this.d.now() - 600_000).toISOString(),
      scheduleInfo: { startDateTime: null, expiration: { type: 'afterDuration', duration: r.duration } },
      group: { displayName: r.groupName },
      principal: { displayName: r.principal },
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
        pattern: new RegExp(`^${REQUESTS}/${ID}/cancel$`),
        scopes: SCOPES.write,
        pim: true,
        handle: (c) => cancelPimRequest(this.d, c, this.requests),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${REQUESTS}/${ID}$`),
        scopes: SCOPES.read,
        pim: true,
        handle: (c) => getOne(this.d, c, this.requests.get(lower(c.params[0] ?? '')), 'request'),
      },
    ];
  }
}
