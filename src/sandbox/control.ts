// The sandbox's own routes under /_sandbox: what stands in for Teams SSO, for a Logic App's
// managed identity, and for a governance event source in the sandbox demo.

import { randomUUID } from 'node:crypto';
import type { SimulatedEntra } from './entra';
import type { Envelope, SimRequest, SimResponse } from './envelope';
import type { EntitlementManagement } from './graph/entitlementManagement';
import type { LifecycleWorkflows } from './graph/lifecycleWorkflows';
import type { PimRoles } from './graph/pimRoles';
import type { DemoSeed, SeedRoleRequest } from './seed';
import { UnconfirmedBehaviour, parseUnconfirmed } from './unconfirmed';

export interface DemoItems {
  roleRequestId: string;
  accessRequestId: string;
  workflowId: string;
  runId: string;
  taskId: string;
  taskProcessingResultId: string;
  /** A PIM role request waiting for the demo user's approval; null when no approver was named. */
  roleApprovalId: string | null;
  /** Who requested it (a display name), for the notification's text. */
  roleApprovalPrincipal: string | null;
}

/** Fresh actionable items for a sandbox demo of notification cards; returns their ids. */
export function addDemoItems(
  areas: {
    lifecycleWorkflows: LifecycleWorkflows;
    pimRoles: PimRoles;
    entitlementManagement: EntitlementManagement;
    /** Adds a role request with its approval (the approver filter and the decision read it). */
    addRoleRequest: (r: SeedRoleRequest) => void;
  },
  examples: DemoSeed['examples'],
  /** The demo user's display name: the approver of the demo's approval item. */
  approverName: string | null = null,
): DemoItems {
  const roleRequestId = randomUUID();
  areas.pimRoles.add({
    id: roleRequestId,
    status: 'PendingApproval',
    roleName: 'Global Administrator',
    principal: 'Adele Vance',
    justification: 'Tenant review',
    duration: 'PT8H',
  });
  const accessRequestId = randomUUID();
  areas.entitlementManagement.add({
    id: accessRequestId,
    state: 'pendingApproval',
    status: 'PendingApproval',
    accessPackageName: 'Marketing campaign tools',
    requestor: 'Alex Wilber',
    requestType: 'userAdd',
  });
  const w = examples.taskWorkflowId;
  const taskId = examples.taskId;
  const runId = randomUUID();
  areas.lifecycleWorkflows.addRun(w, { id: runId, processingStatus: 'inProgress' });
  const taskProcessingResultId = randomUUID();
  areas.lifecycleWorkflows.addWaitingTaskResult(
    w,
    { id: taskId, displayName: 'Order a laptop (custom task extension)' },
    taskProcessingResultId,
    'Adele Vance',
  );
  let roleApprovalId: string | null = null;
  // Someone else's request: nobody approves their own.
  const roleApprovalPrincipal = approverName
    ? approverName === 'Diego Siciliani'
      ? 'Adele Vance'
      : 'Diego Siciliani'
    : null;
  if (approverName && roleApprovalPrincipal) {
    roleApprovalId = randomUUID();
    areas.addRoleRequest({
      id: roleApprovalId,
      status: 'PendingApproval',
      roleName: 'Exchange Administrator',
      principal: roleApprovalPrincipal,
      justification: 'Mailbox migration',
      duration: 'PT4H',
      approvers: [approverName],
      ageMinutes: 1,
    });
  }
  return {
    roleRequestId,
    accessRequestId,
    workflowId: w,
    runId,
    taskId,
    taskProcessingResultId,
    roleApprovalId,
    roleApprovalPrincipal,
  };
}

export interface ControlDeps {
  readonly envelope: Envelope;
  readonly entra: SimulatedEntra;
  /** The bot's app id: the default audience of the tokens minted here. */
  readonly clientId: string;
  /** `approverId`: the demo user, who gets an approval item too. */
  readonly addDemoItems: (approverId: string | null) => DemoItems;
  readonly setUnconfirmed: (choice: Partial<UnconfirmedBehaviour>) => void;
  readonly unconfirmed: () => UnconfirmedBehaviour;
  readonly setRedirectUris: (uris: readonly string[] | null) => void;
}

/**
 * Answers POST /_sandbox/{ssoToken,demoItems,appToken,options,redirectUris} and GET
 * /_sandbox/options; null for any other request.
 */
export function handleControl(req: SimRequest, p: string, d: ControlDeps): SimResponse | null {
  if (p === '/_sandbox/options' && req.method === 'GET') return d.envelope.json(req, 200, d.unconfirmed());
  if (req.method !== 'POST') return null;
  if (p === '/_sandbox/options') {
    try {
      d.setUnconfirmed(parseUnconfirmed(JSON.parse(req.body ?? '{}')));
    } catch (e) {
      return d.envelope.json(req, 400, { error: 'invalid_request', message: e instanceof Error ? e.message : '' });
    }
    return d.envelope.json(req, 200, d.unconfirmed());
  }
  if (p === '/_sandbox/redirectUris') {
    const b = (() => {
      try {
        return JSON.parse(req.body ?? '{}') as { redirectUris?: unknown };
      } catch {
        return {};
      }
    })();
    const uris = Array.isArray(b.redirectUris)
      ? b.redirectUris.filter((u): u is string => typeof u === 'string')
      : null;
    d.setRedirectUris(uris);
    return d.envelope.json(req, 200, { redirectUris: uris });
  }
  const host = req.headers.host ?? 'login.sandbox';
  if (p === '/_sandbox/ssoToken') {
    let b: { aadObjectId?: unknown; clientId?: unknown } = {};
    try {
      b = JSON.parse(req.body ?? '{}') as typeof b;
    } catch {
      return d.envelope.json(req, 400, { error: 'invalid_request' });
    }
    if (typeof b.aadObjectId !== 'string' || !d.entra.hasUser(b.aadObjectId)) {
      return d.envelope.json(req, 404, { error: 'unknown_user' });
    }
    const clientId = typeof b.clientId === 'string' ? b.clientId : d.clientId;
    return d.envelope.json(req, 200, { token: d.entra.issueSsoToken(b.aadObjectId, clientId, { host }) });
  }
  if (p === '/_sandbox/demoItems') {
    const b = (() => {
      try {
        return JSON.parse(req.body ?? '{}') as { approverId?: unknown };
      } catch {
        return {};
      }
    })();
    return d.envelope.json(req, 200, d.addDemoItems(typeof b.approverId === 'string' ? b.approverId : null));
  }
  if (p === '/_sandbox/appToken') {
    const b = (() => {
      try {
        return JSON.parse(req.body ?? '{}') as { audience?: unknown; roles?: unknown };
      } catch {
        return {};
      }
    })();
    const roles = Array.isArray(b.roles) ? b.roles.filter((r): r is string => typeof r === 'string') : [];
    const audience = typeof b.audience === 'string' ? b.audience : d.clientId;
    return d.envelope.json(req, 200, { token: d.entra.issueAppToken({ audience, roles, host }) });
  }
  return null;
}
