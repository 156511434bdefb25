// PIM for Microsoft Entra roles: role assignment schedule requests, graph-reference §2.

import { randomUUID } from 'node:crypto';
import type { SeedRoleRequest } from '../seed';
import { AreaDeps, Row, getOne, lower } from './items';
import { cancelPimRequest } from './pimCancel';
import { ID, Route } from './routes';

const REQUESTS = '/roleManagement/directory/roleAssignmentScheduleRequests';
// Delegated scopes, graph-reference §8 (least first).
const SCOPES = ['RoleAssignmentSchedule.ReadWrite.Directory', 'RoleManagement.ReadWrite.Directory'];

export class PimRoles {
  private readonly requests = new Map<string, Row>();

  constructor(private readonly d: AreaDeps) {}

  load(requests: readonly SeedRoleRequest[]): void {
    this.requests.clear();
    for (const r of requests) this.add(r);
  }

  add(r: SeedRoleRequest): void {
    this.requests.set(lower(r.id), {
      '@odata.type': '#microsoft.graph.unifiedRoleAssignmentScheduleRequest',
      id: r.id,
      status: r.status,
      action: 'selfActivate',
      justification: r.justification,
      principalId: randomUUID(),
      roleDefinitionId: randomUUID(),
      directoryScopeId: '/',
      createdDateTime: new Date(this.d.now() - 600_000).toISOString(),
      completedDateTime: null,
      isValidationOnly: false,
      scheduleInfo: { startDateTime: null, expiration: { type: 'afterDuration', duration: r.duration } },
      roleDefinition: { displayName: r.roleName },
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
        scopes: SCOPES,
        pim: true,
        handle: (c) => cancelPimRequest(this.d, c, this.requests),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${REQUESTS}/${ID}$`),
        scopes: SCOPES,
        pim: true,
        handle: (c) => getOne(this.d, c, this.requests.get(lower(c.params[0] ?? '')), 'request'),
      },
    ];
  }
}
