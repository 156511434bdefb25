// The simulated tenant: Microsoft Graph (the identity-governance calls the bot makes) and Entra
// sign-in (OpenID metadata, keys, the on-behalf-of grant) as one pure request -> response model
// over in-memory state. It follows reference/graph-reference.md on its own, deliberately without
// reading the bot's operation catalog, so tests compare two independent sources.

import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HelpExamples } from '../bot/replyCards';
import { projectRoot } from '../paths';
import { Claims, JwtError, SigningKey, createSigningKey, decodeJwt, signJwt, verifyJwt } from '../auth/jwt';

export interface SimRequest {
  readonly method: string;
  /** Path and query, e.g. /v1.0/roleManagement/...?$select=id */
  readonly url: string;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body?: string;
}

export interface SimResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export interface DemoUser {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
  readonly scopes: readonly string[];
  readonly consent?: boolean;
  readonly mfaRequired?: boolean;
}

interface SeedItem {
  readonly id: string;
  readonly throttleOnce?: boolean;
}
export interface SeedRun extends SeedItem {
  readonly processingStatus: string;
}
export interface SeedTaskResult extends SeedItem {
  readonly processingStatus: string;
  readonly subject?: string;
}
export interface SeedWorkflow {
  readonly id: string;
  readonly displayName: string;
  readonly category: string;
  readonly runs: readonly SeedRun[];
  readonly tasks: ReadonlyArray<{
    readonly id: string;
    readonly displayName: string;
    readonly results: readonly SeedTaskResult[];
  }>;
}
export interface SeedRoleRequest extends SeedItem {
  readonly status: string;
  readonly roleName: string;
  readonly principal: string;
  readonly justification: string;
  readonly duration: string;
}
export interface SeedGroupRequest extends SeedItem {
  readonly status: string;
  readonly groupName: string;
  readonly accessId: string;
  readonly principal: string;
  readonly justification: string;
  readonly duration: string;
}
export interface SeedAccessRequest extends SeedItem {
  readonly state: string;
  readonly status: string;
  readonly accessPackageName: string;
  readonly requestor: string;
  readonly requestType: string;
}

export interface DemoSeed {
  readonly tenantId: string;
  readonly app: { readonly clientId: string; readonly clientSecret: string };
  readonly users: readonly DemoUser[];
  readonly workflows: readonly SeedWorkflow[];
  readonly roleRequests: readonly SeedRoleRequest[];
  readonly groupRequests: readonly SeedGroupRequest[];
  readonly accessRequests: readonly SeedAccessRequest[];
  /** Ids that make every help example work in the sandbox. */
  readonly examples: HelpExamples;
}

/** A fresh deep copy of the demo tenant in src/sandbox/seed.json. */
export function loadDemoSeed(): DemoSeed {
  return JSON.parse(fs.readFileSync(path.join(projectRoot(), 'src', 'sandbox', 'seed.json'), 'utf8')) as DemoSeed;
}

export interface Fault {
  readonly method?: string;
  readonly pathIncludes: string;
  readonly status: number;
  /** How many requests it answers; default 1. */
  readonly times?: number;
  readonly retryAfter?: string;
  readonly code?: string;
  readonly message?: string;
}

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly status: number;
  readonly tokenClaims: { readonly oid: unknown; readonly scp: unknown; readonly aud: unknown } | null;
}

export interface TenantOptions {
  /** Lifetime of issued Graph access tokens. */
  readonly accessTokenLifetimeSec?: number;
  readonly now?: () => number;
  /** Status for an unknown PIM/EM request id (graph-reference §13: not confirmed). */
  readonly unknownRequestStatus?: 400 | 404;
}

// Cancellable sets: graph-reference §2 (PIM, suggested default), §4 (EM state), §1 (LCW).
const PIM_CANCELLABLE = ['granted', 'pendingapproval', 'pendingapprovalprovisioning', 'pendingadmindecision'];
const EM_CANCELLABLE = ['submitted', 'pendingapproval', 'scheduled'];
const RUN_CANCELLABLE = ['queued', 'inprogress'];

// Delegated scopes per area, graph-reference §8 (least first).
const SCOPES = {
  lcwCancel: ['LifecycleWorkflows-Workflow.ReadWrite.All', 'LifecycleWorkflows.ReadWrite.All'],
  lcwResume: ['LifecycleWorkflows.ReadWrite.All'],
  lcwRead: ['LifecycleWorkflows-Reports.Read.All', 'LifecycleWorkflows.Read.All', 'LifecycleWorkflows.ReadWrite.All'],
  lcwWorkflowRead: [
    'LifecycleWorkflows-Workflow.ReadBasic.All',
    'LifecycleWorkflows-Workflow.Read.All',
    'LifecycleWorkflows-Workflow.ReadWrite.All',
    'LifecycleWorkflows.Read.All',
    'LifecycleWorkflows.ReadWrite.All',
  ],
  pimRole: ['RoleAssignmentSchedule.ReadWrite.Directory', 'RoleManagement.ReadWrite.Directory'],
  pimGroup: ['PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup'],
  pimGroupRead: [
    'PrivilegedAssignmentSchedule.Read.AzureADGroup',
    'PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup',
  ],
  em: ['EntitlementMgmt-SubjectAccess.ReadWrite', 'EntitlementManagement.ReadWrite.All'],
  emRead: [
    'EntitlementMgmt-SubjectAccess.ReadWrite',
    'EntitlementManagement.Read.All',
    'EntitlementManagement.ReadWrite.All',
  ],
} as const;

type Version = 'v1.0' | 'beta';

interface Ctx {
  readonly req: SimRequest;
  readonly version: Version;
  readonly params: readonly string[];
  readonly claims: Claims;
  readonly body: unknown;
}

interface Route {
  readonly method: 'GET' | 'POST';
  readonly pattern: RegExp;
  readonly scopes: readonly string[];
  /** PIM answers a missing scope with its own odd 403 (graph-reference §10.2). */
  readonly pim?: boolean;
  readonly betaOnly?: boolean;
  readonly handle: (ctx: Ctx) => SimResponse;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Row = Mutable<SeedItem> & Record<string, unknown>;

const ID = '([^/]+)';
const LCW = '/identityGovernance/lifecycleWorkflows/workflows';
const NS = 'microsoft\\.graph\\.identityGovernance\\.';

const lower = (s: string): string => s.toLowerCase();

/** innerError.date: UTC, no Z, no fractional seconds (graph-reference §10.1). */
function graphDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

export class SimulatedTenant {
  readonly requests: LoggedRequest[] = [];
  /** On-behalf-of grants answered (success or not). */
  tokenRequests = 0;
  private readonly key: SigningKey;
  private readonly now: () => number;
  private readonly faults: Array<Fault & { remaining: number }> = [];
  private readonly users = new Map<string, DemoUser>();
  private readonly workflows = new Map<string, Row>();
  private readonly runs = new Map<string, Row & { workflowId: string }>();
  private readonly taskResults = new Map<string, Row & { workflowId: string; taskId: string }>();
  private readonly roleRequests = new Map<string, Row>();
  private readonly groupRequests = new Map<string, Row>();
  private readonly accessRequests = new Map<string, Row>();
  private readonly routes: readonly Route[];

  constructor(
    readonly seed: DemoSeed,
    private readonly options: TenantOptions = {},
  ) {
    this.key = createSigningKey();
    this.now = options.now ?? Date.now;
    this.load(seed);
    this.routes = this.buildRoutes();
  }

  get tenantId(): string {
    return this.seed.tenantId;
  }

  /** Replaces all state with the seed's. */
  load(seed: DemoSeed): void {
    for (const m of [
      this.users,
      this.workflows,
      this.runs,
      this.taskResults,
      this.roleRequests,
      this.groupRequests,
      this.accessRequests,
    ]) {
      m.clear();
    }
    for (const u of seed.users) this.users.set(lower(u.id), u);
    for (const w of seed.workflows) {
      this.workflows.set(lower(w.id), { id: w.id, displayName: w.displayName, category: w.category, isEnabled: true });
      for (const r of w.runs) this.runs.set(lower(r.id), { ...this.runShape(r), workflowId: lower(w.id) });
      for (const t of w.tasks) {
        for (const r of t.results) {
          this.taskResults.set(lower(r.id), {
            ...r,
            createdDateTime: new Date(this.now() - 3_600_000).toISOString(),
            completedDateTime: null,
            failureReason: null,
            task: { id: t.id, displayName: t.displayName },
            workflowId: lower(w.id),
            taskId: lower(t.id),
          });
        }
      }
    }
    for (const r of seed.roleRequests) this.addRoleRequest(r);
    for (const r of seed.groupRequests) this.addGroupRequest(r);
    for (const r of seed.accessRequests) this.addAccessRequest(r);
  }

  addRoleRequest(r: SeedRoleRequest): void {
    this.roleRequests.set(lower(r.id), {
      '@odata.type': '#microsoft.graph.unifiedRoleAssignmentScheduleRequest',
      id: r.id,
      status: r.status,
      action: 'selfActivate',
      justification: r.justification,
      principalId: randomUUID(),
      roleDefinitionId: randomUUID(),
      directoryScopeId: '/',
      createdDateTime: new Date(this.now() - 600_000).toISOString(),
      completedDateTime: null,
      isValidationOnly: false,
      scheduleInfo: { startDateTime: null, expiration: { type: 'afterDuration', duration: r.duration } },
      roleDefinition: { displayName: r.roleName },
      principal: { displayName: r.principal },
      throttleOnce: r.throttleOnce ?? false,
    });
  }

  addGroupRequest(r: SeedGroupRequest): void {
    this.groupRequests.set(lower(r.id), {
      '@odata.type': '#microsoft.graph.privilegedAccessGroupAssignmentScheduleRequest',
      id: r.id,
      status: r.status,
      accessId: r.accessId,
      action: 'selfActivate',
      groupId: randomUUID(),
      principalId: randomUUID(),
      justification: r.justification,
      createdDateTime: new Date(this.now() - 600_000).toISOString(),
      scheduleInfo: { startDateTime: null, expiration: { type: 'afterDuration', duration: r.duration } },
      group: { displayName: r.groupName },
      principal: { displayName: r.principal },
      throttleOnce: r.throttleOnce ?? false,
    });
  }

  addAccessRequest(r: SeedAccessRequest): void {
    this.accessRequests.set(lower(r.id), {
      id: r.id,
      state: r.state,
      status: r.status,
      requestType: r.requestType,
      createdDateTime: new Date(this.now() - 600_000).toISOString(),
      completedDateTime: null,
      accessPackage: { displayName: r.accessPackageName },
      requestor: { displayName: r.requestor },
      throttleOnce: r.throttleOnce ?? false,
    });
  }

  /** Fresh actionable items for a sandbox demo of notification cards; returns their ids. */
  addDemoItems(): {
    roleRequestId: string;
    accessRequestId: string;
    workflowId: string;
    runId: string;
    taskId: string;
    taskProcessingResultId: string;
  } {
    const roleRequestId = randomUUID();
    this.addRoleRequest({
      id: roleRequestId,
      status: 'PendingApproval',
      roleName: 'Global Administrator',
      principal: 'Adele Vance',
      justification: 'Tenant review',
      duration: 'PT8H',
    });
    const accessRequestId = randomUUID();
    this.addAccessRequest({
      id: accessRequestId,
      state: 'pendingApproval',
      status: 'PendingApproval',
      accessPackageName: 'Marketing campaign tools',
      requestor: 'Alex Wilber',
      requestType: 'userAdd',
    });
    const w = this.seed.examples.taskWorkflowId;
    const taskId = this.seed.examples.taskId;
    const runId = randomUUID();
    this.addRun(w, { id: runId, processingStatus: 'inProgress' });
    const taskProcessingResultId = randomUUID();
    this.taskResults.set(taskProcessingResultId, {
      id: taskProcessingResultId,
      processingStatus: 'inProgress',
      subject: 'Adele Vance',
      createdDateTime: new Date(this.now()).toISOString(),
      completedDateTime: null,
      failureReason: null,
      task: { id: taskId, displayName: 'Order a laptop (custom task extension)' },
      throttleOnce: false,
      workflowId: lower(w),
      taskId: lower(taskId),
    });
    return { roleRequestId, accessRequestId, workflowId: w, runId, taskId, taskProcessingResultId };
  }

  addRun(workflowId: string, run: SeedRun): void {
    if (!this.workflows.has(lower(workflowId))) throw new Error(`no workflow ${workflowId}`);
    this.runs.set(lower(run.id), { ...this.runShape(run), workflowId: lower(workflowId) });
  }

  getRun(_workflowId: string, runId: string): Readonly<Record<string, unknown>> | undefined {
    return this.runs.get(lower(runId));
  }
  getTaskResult(_w: string, _t: string, resultId: string): Readonly<Record<string, unknown>> | undefined {
    return this.taskResults.get(lower(resultId));
  }
  getRoleRequest(id: string): Readonly<Record<string, unknown>> | undefined {
    return this.roleRequests.get(lower(id));
  }
  getGroupRequest(id: string): Readonly<Record<string, unknown>> | undefined {
    return this.groupRequests.get(lower(id));
  }
  getAccessRequest(id: string): Readonly<Record<string, unknown>> | undefined {
    return this.accessRequests.get(lower(id));
  }

  injectFault(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  clearLog(): void {
    this.requests.length = 0;
  }

  /** Graph requests only (not sign-in), for assertions on what reached Graph. */
  graphRequests(): LoggedRequest[] {
    return this.requests.filter((r) => r.path.startsWith('/v1.0/') || r.path.startsWith('/beta/'));
  }

  /** The token Teams would hand the bot in signin/tokenExchange (audience: the SSO app). */
  issueSsoToken(aadObjectId: string, clientId: string, opts: { expiresInSec?: number; host?: string } = {}): string {
    const user = this.users.get(lower(aadObjectId));
    if (!user) throw new Error(`no user ${aadObjectId}`);
    const iat = Math.floor(this.now() / 1000);
    return signJwt(
      {
        aud: `api://botid-${clientId}`,
        iss: `https://${opts.host ?? 'login.sandbox'}/${this.seed.tenantId}/v2.0`,
        iat,
        nbf: iat,
        exp: iat + (opts.expiresInSec ?? 3600),
        oid: user.id,
        tid: this.seed.tenantId,
        name: user.displayName,
        preferred_username: user.userPrincipalName,
        scp: 'access_as_user',
        azp: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
        ver: '2.0',
      },
      this.key,
    );
  }

  /**
   * An app-only access token for another app calling this bot's API (a Logic App's managed
   * identity, say), as Entra issues it: audience the bot's app, roles from its app registration.
   */
  issueAppToken(opts: {
    audience: string;
    roles: readonly string[];
    host?: string;
    appId?: string;
    expiresInSec?: number;
    tenantId?: string;
  }): string {
    const iat = Math.floor(this.now() / 1000);
    const tid = opts.tenantId ?? this.seed.tenantId;
    return signJwt(
      {
        aud: opts.audience,
        iss: `https://${opts.host ?? 'login.sandbox'}/${tid}/v2.0`,
        iat,
        nbf: iat,
        exp: iat + (opts.expiresInSec ?? 3600),
        tid,
        oid: opts.appId ?? '7c1e2b3a-0000-4000-8000-00000000a99a',
        azp: opts.appId ?? '7c1e2b3a-0000-4000-8000-00000000a99a',
        roles: [...opts.roles],
        ver: '2.0',
      },
      this.key,
    );
  }

  handle(req: SimRequest): SimResponse {
    const [rawPath = '', query = ''] = req.url.split('?', 2) as [string?, string?];
    const pathOnly = rawPath.replace(/\/+$/, '') || '/';
    let claims: Claims | null = null;
    const respond = (res: SimResponse): SimResponse => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (v !== undefined && k !== 'authorization') headers[k] = v;
      }
      this.requests.push({
        method: req.method.toUpperCase(),
        path: pathOnly,
        query,
        headers,
        body: pathOnly.includes('/oauth2/') ? '[form]' : req.body,
        status: res.status,
        tokenClaims: claims ? { oid: claims.oid, scp: claims.scp, aud: claims.aud } : null,
      });
      return res;
    };

    const fault = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        pathOnly.includes(f.pathIncludes) &&
        (!f.method || f.method.toUpperCase() === req.method.toUpperCase()),
    );
    if (fault) {
      fault.remaining--;
      return respond(this.faultResponse(fault, req));
    }

    const identity = this.identity(req, pathOnly);
    if (identity) return respond(identity);

    const m = /^\/(v1\.0|beta)(\/.*)$/.exec(pathOnly);
    if (!m) return respond(this.error(req, 404, 'BadRequest', `Resource not found for the segment '${pathOnly}'.`));
    const version = m[1] as Version;
    const rest = m[2] ?? '';
    const matches = this.routes
      .map((route) => ({ route, params: route.pattern.exec(rest) }))
      .filter(
        (x): x is { route: Route; params: RegExpExecArray } =>
          x.params !== null && !(x.route.betaOnly && version !== 'beta'),
      );
    if (matches.length === 0) {
      return respond(
        this.error(req, 400, 'BadRequest', `Resource not found for the segment '${rest.split('/').pop() ?? ''}'.`),
      );
    }
    const hit = matches.find((x) => x.route.method === req.method.toUpperCase());
    if (!hit)
      return respond(
        this.error(req, 405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.'),
      );

    const auth = this.authenticate(req);
    if (auth.kind === 'refused') return respond(auth.response);
    claims = auth.claims;
    const granted = typeof claims.scp === 'string' ? claims.scp.split(' ') : [];
    if (!hit.route.scopes.some((s) => granted.includes(s))) {
      return respond(this.forbidden(req, hit.route));
    }
    let body: unknown = undefined;
    if (req.body !== undefined && req.body.trim() !== '') {
      try {
        body = JSON.parse(req.body);
      } catch {
        return respond(this.error(req, 400, 'BadRequest', 'Invalid JSON in the request body.'));
      }
    }
    return respond(hit.route.handle({ req, version, params: hit.params.slice(1), claims, body }));
  }

  // ---------------------------------------------------------------------------------------------
  // Graph routes

  private buildRoutes(): Route[] {
    return [
      {
        method: 'POST',
        pattern: new RegExp(`^${LCW}/${ID}/(?:${NS})?cancelProcessing$`),
        scopes: SCOPES.lcwCancel,
        handle: (c) => this.cancelRun(c),
      },
      {
        method: 'POST',
        pattern: new RegExp(`^${LCW}/${ID}/tasks/${ID}/taskProcessingResults/${ID}/(?:${NS})?resume$`),
        scopes: SCOPES.lcwResume,
        handle: (c) => this.resume(c),
      },
      {
        method: 'POST',
        pattern: new RegExp(`^/roleManagement/directory/roleAssignmentScheduleRequests/${ID}/cancel$`),
        scopes: SCOPES.pimRole,
        pim: true,
        handle: (c) => this.cancelPim(c, this.roleRequests),
      },
      {
        method: 'POST',
        pattern: new RegExp(`^/identityGovernance/privilegedAccess/group/assignmentScheduleRequests/${ID}/cancel$`),
        scopes: SCOPES.pimGroup,
        pim: true,
        handle: (c) => this.cancelPim(c, this.groupRequests),
      },
      {
        method: 'POST',
        pattern: new RegExp(`^/identityGovernance/entitlementManagement/assignmentRequests/${ID}/cancel$`),
        scopes: SCOPES.em,
        handle: (c) => this.cancelAccess(c),
      },
      {
        method: 'POST',
        pattern: new RegExp(`^/identityGovernance/entitlementManagement/accessPackageAssignmentRequests/${ID}/cancel$`),
        scopes: SCOPES.em,
        betaOnly: true,
        handle: (c) => this.cancelAccess(c),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${LCW}/${ID}$`),
        scopes: SCOPES.lcwWorkflowRead,
        handle: (c) => this.getOne(c, this.workflows.get(lower(c.params[0] ?? '')), 'workflow'),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${LCW}/${ID}/runs$`),
        scopes: SCOPES.lcwRead,
        handle: (c) =>
          this.list(
            c,
            [...this.runs.values()].filter((r) => r.workflowId === lower(c.params[0] ?? '')),
          ),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${LCW}/${ID}/runs/${ID}$`),
        scopes: SCOPES.lcwRead,
        handle: (c) => {
          const run = this.runs.get(lower(c.params[1] ?? ''));
          return this.getOne(c, run?.workflowId === lower(c.params[0] ?? '') ? run : undefined, 'run');
        },
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${LCW}/${ID}/tasks/${ID}/taskProcessingResults$`),
        scopes: SCOPES.lcwRead,
        handle: (c) =>
          this.list(
            c,
            [...this.taskResults.values()].filter(
              (r) => r.workflowId === lower(c.params[0] ?? '') && r.taskId === lower(c.params[1] ?? ''),
            ),
          ),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^${LCW}/${ID}/tasks/${ID}/taskProcessingResults/${ID}$`),
        scopes: SCOPES.lcwRead,
        handle: (c) => this.getOne(c, this.taskResultAt(c.params), 'taskProcessingResult'),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^/roleManagement/directory/roleAssignmentScheduleRequests/${ID}$`),
        scopes: SCOPES.pimRole,
        pim: true,
        handle: (c) => this.getOne(c, this.roleRequests.get(lower(c.params[0] ?? '')), 'request'),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^/identityGovernance/privilegedAccess/group/assignmentScheduleRequests/${ID}$`),
        scopes: SCOPES.pimGroupRead,
        pim: true,
        handle: (c) => this.getOne(c, this.groupRequests.get(lower(c.params[0] ?? '')), 'request'),
      },
      {
        method: 'GET',
        pattern: new RegExp(`^/identityGovernance/entitlementManagement/assignmentRequests/${ID}$`),
        scopes: SCOPES.emRead,
        handle: (c) => this.getOne(c, this.accessRequests.get(lower(c.params[0] ?? '')), 'request'),
      },
    ];
  }

  private cancelRun(c: Ctx): SimResponse {
    const workflowId = lower(c.params[0] ?? '');
    if (!this.workflows.has(workflowId)) {
      return this.error(c.req, 404, 'Resource not found', `Workflow with id '${c.params[0]}' was not found.`, false);
    }
    const scope = (c.body as { scope?: { '@odata.type'?: unknown; runs?: unknown } } | undefined)?.scope;
    if (!scope || lower(String(scope['@odata.type'] ?? '')) !== '#microsoft.graph.identitygovernance.cancelrunsscope') {
      return this.error(c.req, 400, 'Bad Request', 'The scope must be a cancelRunsScope.', false);
    }
    const runs = Array.isArray(scope.runs) ? (scope.runs as Array<{ id?: unknown }>) : [];
    if (runs.length > 1) {
      return this.error(
        c.req,
        400,
        'Bad Request',
        `Too many runs provided. Received ${runs.length}, but the maximum allowed in a single cancelProcessing call is 1.`,
        false,
      );
    }
    const runId = typeof runs[0]?.id === 'string' ? runs[0].id : '';
    const run = this.runs.get(lower(runId));
    if (!run) {
      return this.error(
        c.req,
        406,
        'Not Acceptable Request',
        `No valid runs in cancelRunsScope supplied. ${runs.length} runs were specified and none were valid.`,
        false,
      );
    }
    if (run.workflowId !== workflowId) {
      return this.error(
        c.req,
        400,
        'Bad Request',
        `Run with id '${runId}' does not belong to workflow '${c.params[0]}'.`,
        false,
      );
    }
    if (!RUN_CANCELLABLE.includes(lower(String(run.processingStatus)))) {
      return this.error(
        c.req,
        409,
        'Conflict',
        `Run with id '${runId}' is not in a cancellable state. Current status: '${String(run.processingStatus)}'. Must be 'queued' or 'in-progress' to cancel.`,
        false,
      );
    }
    const throttled = this.throttleOnce(c.req, run);
    if (throttled) return throttled;
    run.processingStatus = 'canceled';
    run.completedDateTime = new Date(this.now()).toISOString();
    return this.ok(c.req, 204);
  }

  private resume(c: Ctx): SimResponse {
    if (!this.workflows.has(lower(c.params[0] ?? ''))) {
      return this.error(c.req, 404, 'Resource not found', `Workflow with id '${c.params[0]}' was not found.`, false);
    }
    const result = this.taskResultAt(c.params);
    if (!result) return this.error(c.req, 404, 'itemNotFound', 'The task processing result was not found.');
    const b = c.body as { data?: { operationStatus?: unknown }; source?: unknown; type?: unknown } | undefined;
    const status = typeof b?.data?.operationStatus === 'string' ? lower(b.data.operationStatus) : '';
    if (
      !['completed', 'failed'].includes(status) ||
      typeof b?.source !== 'string' ||
      b.source.trim() === '' ||
      typeof b.type !== 'string'
    ) {
      return this.error(
        c.req,
        400,
        'invalidRequest',
        'The request body must have data.operationStatus (completed or failed), a non-empty source and a type.',
      );
    }
    if (lower(String(result.processingStatus)) !== 'inprogress') {
      return this.error(
        c.req,
        400,
        'BadRequest',
        `The task processing result cannot be resumed. Current status: '${String(result.processingStatus)}'.`,
      );
    }
    const throttled = this.throttleOnce(c.req, result);
    if (throttled) return throttled;
    result.processingStatus = status;
    result.completedDateTime = new Date(this.now()).toISOString();
    return this.ok(c.req, 204);
  }

  private cancelPim(c: Ctx, store: Map<string, Row>): SimResponse {
    const item = store.get(lower(c.params[0] ?? ''));
    if (!item) return this.unknownRequest(c.req);
    if (!PIM_CANCELLABLE.includes(lower(String(item.status)))) {
      return this.error(c.req, 400, 'RequestCannotBeCancelled', 'Request is not in cancellable state.');
    }
    const throttled = this.throttleOnce(c.req, item);
    if (throttled) return throttled;
    item.status = 'Canceled';
    item.completedDateTime = new Date(this.now()).toISOString();
    return this.ok(c.req, 204);
  }

  private cancelAccess(c: Ctx): SimResponse {
    const item = this.accessRequests.get(lower(c.params[0] ?? ''));
    if (!item) return this.unknownRequest(c.req);
    if (c.version === 'v1.0' && c.body !== undefined) {
      // v1.0: "Do not supply a request body"; beta accepts {id, requestStatus: "cancelled"}.
      return this.error(c.req, 400, 'BadRequest', 'This action does not take a request body.');
    }
    if (c.version === 'beta' && c.body !== undefined) {
      const b = c.body as { id?: unknown; requestStatus?: unknown };
      if (b.requestStatus !== undefined && lower(String(b.requestStatus)) !== 'cancelled') {
        return this.error(c.req, 400, 'BadRequest', 'requestStatus must be cancelled.');
      }
    }
    if (!EM_CANCELLABLE.includes(lower(String(item.state)))) {
      return this.error(
        c.req,
        400,
        'BadRequest',
        'The access package assignment request cannot be cancelled in its current state.',
      );
    }
    const throttled = this.throttleOnce(c.req, item);
    if (throttled) return throttled;
    item.state = 'canceled';
    item.status = 'Canceled';
    item.completedDateTime = new Date(this.now()).toISOString();
    return this.ok(c.req, 200);
  }

  private taskResultAt(params: readonly string[]): (Row & { workflowId: string; taskId: string }) | undefined {
    const r = this.taskResults.get(lower(params[2] ?? ''));
    return r && r.workflowId === lower(params[0] ?? '') && r.taskId === lower(params[1] ?? '') ? r : undefined;
  }

  private getOne(c: Ctx, item: Row | undefined, what: string): SimResponse {
    if (!item) {
      return what === 'request'
        ? this.unknownRequest(c.req)
        : this.error(c.req, 404, 'itemNotFound', `The ${what} was not found.`);
    }
    return this.json(c.req, 200, { '@odata.context': this.context(c), ...this.publicShape(item) });
  }

  private list(c: Ctx, items: Row[]): SimResponse {
    return this.json(c.req, 200, { '@odata.context': this.context(c), value: items.map((i) => this.publicShape(i)) });
  }

  private publicShape(item: Row): Record<string, unknown> {
    const { throttleOnce: _t, workflowId: _w, taskId: _k, ...rest } = item as Record<string, unknown>;
    return rest;
  }

  private context(c: Ctx): string {
    return `https://graph.microsoft.com/${c.version}/$metadata#entity`;
  }

  private runShape(r: SeedRun): Row {
    return {
      id: r.id,
      processingStatus: r.processingStatus,
      workflowExecutionType: 'onDemand',
      scheduledDateTime: null,
      startedDateTime: new Date(this.now() - 1_800_000).toISOString(),
      completedDateTime: null,
      totalUsersCount: 1,
      throttleOnce: r.throttleOnce ?? false,
    };
  }

  private throttleOnce(req: SimRequest, item: Row): SimResponse | null {
    if (!item.throttleOnce) return null;
    item.throttleOnce = false;
    return this.faultResponse({ pathIncludes: '', status: 429, retryAfter: '1' }, req);
  }

  private unknownRequest(req: SimRequest): SimResponse {
    const status = this.options.unknownRequestStatus ?? 404;
    return this.error(
      req,
      status,
      status === 404 ? 'ResourceNotFound' : 'RequestNotFound',
      'The request was not found.',
    );
  }

  // ---------------------------------------------------------------------------------------------
  // Auth

  private authenticate(req: SimRequest): { kind: 'ok'; claims: Claims } | { kind: 'refused'; response: SimResponse } {
    const refuse = (message: string) => ({
      kind: 'refused' as const,
      response: this.error(req, 401, 'InvalidAuthenticationToken', message),
    });
    const header = req.headers.authorization ?? '';
    const m = /^Bearer (.+)$/.exec(header);
    if (!m?.[1]) return refuse('Access token is empty.');
    try {
      const claims = verifyJwt(m[1], [this.key.publicJwk], { clockToleranceSec: 0, now: this.now });
      // Only delegated Graph tokens this tenant issued: an SSO token or an app-only token is refused.
      if (claims.typ_sim !== 'graph' || typeof claims.scp !== 'string') {
        return refuse('Access token validation failure. Invalid audience.');
      }
      return { kind: 'ok', claims };
    } catch (e) {
      const expired = e instanceof JwtError && e.reason === 'expired';
      return refuse(expired ? 'Lifetime validation failed, the token is expired.' : 'Access token validation failure.');
    }
  }

  private forbidden(req: SimRequest, route: Route): SimResponse {
    if (route.pim) {
      const inner = JSON.stringify({
        errorCode: 'PermissionScopeNotGranted',
        message: `Authorization failed due to missing permission scope ${route.scopes.join(',')}.`,
        instanceAnnotations: [],
      });
      return this.error(req, 403, 'UnknownError', inner);
    }
    return this.error(req, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }

  private identity(req: SimRequest, p: string): SimResponse | null {
    const host = req.headers.host ?? 'login.sandbox';
    const base = `https://${host}`;
    const t = this.seed.tenantId;
    if (req.method === 'POST' && p === '/_sandbox/ssoToken') {
      let b: { aadObjectId?: unknown; clientId?: unknown } = {};
      try {
        b = JSON.parse(req.body ?? '{}') as typeof b;
      } catch {
        return this.json(req, 400, { error: 'invalid_request' });
      }
      if (typeof b.aadObjectId !== 'string' || !this.users.has(lower(b.aadObjectId))) {
        return this.json(req, 404, { error: 'unknown_user' });
      }
      const clientId = typeof b.clientId === 'string' ? b.clientId : this.seed.app.clientId;
      return this.json(req, 200, { token: this.issueSsoToken(b.aadObjectId, clientId, { host }) });
    }
    if (req.method === 'POST' && p === '/_sandbox/demoItems') return this.json(req, 200, this.addDemoItems());
    if (req.method === 'POST' && p === '/_sandbox/appToken') {
      const b = (() => {
        try {
          return JSON.parse(req.body ?? '{}') as { audience?: unknown; roles?: unknown };
        } catch {
          return {};
        }
      })();
      const roles = Array.isArray(b.roles) ? b.roles.filter((r): r is string => typeof r === 'string') : [];
      const audience = typeof b.audience === 'string' ? b.audience : this.seed.app.clientId;
      return this.json(req, 200, { token: this.issueAppToken({ audience, roles, host }) });
    }
    const tenantPrefix = new RegExp(`^/(${t}|organizations|common)/`, 'i');
    if (!tenantPrefix.test(p)) return null;
    const sub = p.replace(tenantPrefix, '/');
    if (req.method === 'GET' && sub === '/v2.0/.well-known/openid-configuration') {
      return this.json(req, 200, {
        issuer: `${base}/${t}/v2.0`,
        authorization_endpoint: `${base}/${t}/oauth2/v2.0/authorize`,
        token_endpoint: `${base}/${t}/oauth2/v2.0/token`,
        end_session_endpoint: `${base}/${t}/oauth2/v2.0/logout`,
        jwks_uri: `${base}/${t}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'token'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        tenant_region_scope: 'WW',
      });
    }
    if (req.method === 'GET' && sub === '/discovery/v2.0/keys') {
      return this.json(req, 200, { keys: [this.key.publicJwk] });
    }
    if (req.method === 'POST' && sub === '/oauth2/v2.0/token') return this.tokenGrant(req, base);
    return this.json(req, 404, { error: 'not_found' });
  }

  private tokenGrant(req: SimRequest, base: string): SimResponse {
    this.tokenRequests++;
    const form = new URLSearchParams(req.body ?? '');
    const oauthError = (
      status: number,
      error: string,
      code: number,
      text: string,
      extra: Record<string, unknown> = {},
    ) =>
      this.json(req, status, {
        error,
        error_description: `AADSTS${code}: ${text} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${graphDate(this.now())}Z`,
        error_codes: [code],
        timestamp: graphDate(this.now()).replace('T', ' ') + 'Z',
        trace_id: randomUUID(),
        correlation_id: randomUUID(),
        ...extra,
      });
    if (form.get('client_id') !== this.seed.app.clientId || form.get('client_secret') !== this.seed.app.clientSecret) {
      return oauthError(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
    }
    if (
      form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' ||
      form.get('requested_token_use') !== 'on_behalf_of'
    ) {
      return oauthError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    }
    const assertion = form.get('assertion') ?? '';
    const clientId = this.seed.app.clientId;
    let claims: Claims;
    try {
      claims = verifyJwt(assertion, [this.key.publicJwk], { clockToleranceSec: 0, now: this.now });
    } catch (e) {
      if (e instanceof JwtError && e.reason === 'expired') {
        return oauthError(400, 'invalid_grant', 500133, 'Assertion is not within its valid time range.');
      }
      return oauthError(400, 'invalid_grant', 50013, 'Assertion failed signature validation.');
    }
    const aud = String(claims.aud ?? '');
    if (!(
      aud === clientId ||
      aud === `api://botid-${clientId}` ||
      (aud.startsWith('api://') && aud.endsWith(`/${clientId}`))
    )) {
      return oauthError(400, 'invalid_grant', 50013, 'Assertion audience does not match the client app.');
    }
    const user = this.users.get(lower(String(claims.oid ?? '')));
    if (!user) return oauthError(400, 'invalid_grant', 50034, 'The user account does not exist in the directory.');
    if (user.consent === false) {
      return oauthError(
        400,
        'invalid_grant',
        65001,
        `The user or administrator has not consented to use the application with ID '${clientId}'. Send an interactive authorization request for this user and resource.`,
        { suberror: 'consent_required' },
      );
    }
    if (user.mfaRequired) {
      return oauthError(
        400,
        'interaction_required',
        50076,
        'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.',
        {
          claims: '{"access_token":{"capolids":{"essential":true,"values":["00000000-0000-0000-0000-000000000001"]}}}',
          suberror: 'basic_action',
        },
      );
    }
    const scope = (form.get('scope') ?? '').split(' ').find((s) => s.endsWith('/.default')) ?? '';
    const resource = scope.replace(/\/\.default$/, '') || base;
    const lifetime = this.options.accessTokenLifetimeSec ?? 3600;
    const iat = Math.floor(this.now() / 1000);
    const accessToken = signJwt(
      {
        aud: resource,
        iss: `${base}/${this.seed.tenantId}/v2.0`,
        iat,
        nbf: iat,
        exp: iat + lifetime,
        oid: user.id,
        tid: this.seed.tenantId,
        name: user.displayName,
        preferred_username: user.userPrincipalName,
        scp: user.scopes.join(' '),
        azp: clientId,
        typ_sim: 'graph',
      },
      this.key,
    );
    return this.json(req, 200, {
      token_type: 'Bearer',
      scope: user.scopes.map((s) => `${resource}/${s}`).join(' '),
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: accessToken,
    });
  }

  /** Claims of a token this tenant issued (for tests); throws when it is not one. */
  decode(token: string): Claims {
    return decodeJwt(token).claims;
  }

  // ---------------------------------------------------------------------------------------------
  // Responses

  private baseHeaders(req: SimRequest): Record<string, string> {
    const h: Record<string, string> = {
      'request-id': randomUUID(),
      date: new Date(this.now()).toUTCString(),
      'x-ms-ags-diagnostic':
        '{"ServerInfo":{"DataCenter":"Sandbox","Slice":"E","Ring":"0","ScaleUnit":"000","RoleInstance":"SIM"}}',
    };
    const crid = req.headers['client-request-id'];
    if (crid) h['client-request-id'] = crid;
    return h;
  }

  private ok(req: SimRequest, status: 200 | 204): SimResponse {
    return { status, headers: this.baseHeaders(req) };
  }

  private json(req: SimRequest, status: number, body: unknown): SimResponse {
    return {
      status,
      headers: { ...this.baseHeaders(req), 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
    };
  }

  /** The Graph error envelope of graph-reference §10.1 (the LCW drafts show none: innerError off). */
  private error(req: SimRequest, status: number, code: string, message: string, innerError = true): SimResponse {
    const headers = this.baseHeaders(req);
    const err: Record<string, unknown> = { code, message };
    if (innerError) {
      const inner: Record<string, unknown> = { date: graphDate(this.now()), 'request-id': headers['request-id'] };
      if (headers['client-request-id']) inner['client-request-id'] = headers['client-request-id'];
      err.innerError = inner;
    }
    return {
      status,
      headers: { ...headers, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ error: err }),
    };
  }

  private faultResponse(f: Fault, req: SimRequest): SimResponse {
    if (f.status === 429) {
      const headers = this.baseHeaders(req);
      return {
        status: 429,
        headers: { ...headers, 'content-type': 'application/json', 'retry-after': f.retryAfter ?? '1' },
        body: JSON.stringify({
          error: {
            code: f.code ?? 'TooManyRequests',
            innerError: {
              code: '429',
              date: graphDate(this.now()),
              message: 'Please retry after',
              'request-id': headers['request-id'],
              status: '429',
            },
            message: f.message ?? 'Please retry again later.',
          },
        }),
      };
    }
    const res = this.error(
      req,
      f.status,
      f.code ?? (f.status >= 500 ? 'serviceNotAvailable' : 'generalException'),
      f.message ?? 'Simulated failure.',
    );
    if (f.retryAfter) res.headers['retry-after'] = f.retryAfter;
    return res;
  }
}
