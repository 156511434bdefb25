// The simulated tenant: Microsoft Graph (the identity-governance calls the bot makes) and Entra
// sign-in (OpenID metadata, keys, the on-behalf-of grant) as one pure request -> response model
// over in-memory state. It follows reference/graph-reference.md on its own, deliberately without
// reading the bot's operation catalog, so tests compare two independent sources.
//
// This file composes the parts and keeps the request log; server.ts mounts the one model twice
// (HTTPS on loopback, and an in-process fetch).

import { Claims, decodeJwt } from '../auth/jwt';
import { DemoItems, addDemoItems, handleControl } from './control';
import { SimulatedEntra } from './entra';
import { Envelope, SimRequest, SimResponse, createEnvelope } from './envelope';
import { Fault, Faults } from './faults';
import { Approvals } from './graph/approvals';
import { handleBatch } from './graph/batch';
import { Directory } from './graph/directory';
import { ACCESS_REQUEST_SHAPE, EntitlementManagement } from './graph/entitlementManagement';
import { AreaDeps, CloudName } from './graph/items';
import { LifecycleWorkflows } from './graph/lifecycleWorkflows';
import { GROUP_REQUEST_SHAPE, PimGroups } from './graph/pimGroups';
import { PimRoles, ROLE_REQUEST_SHAPE } from './graph/pimRoles';
import { Route, dispatchGraph } from './graph/routes';
import { DemoSeed, SeedAccessRequest, SeedGroupRequest, SeedRoleRequest, SeedRun } from './seed';
import { DEFAULT_UNCONFIRMED, UnconfirmedBehaviour } from './unconfirmed';

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly status: number;
  readonly tokenClaims: { readonly oid: unknown; readonly scp: unknown; readonly aud: unknown } | null;
  /** Carried inside a JSON batch (not a round trip of its own: the batch's POST is). */
  readonly inBatch: boolean;
}

export interface TenantOptions {
  /** Lifetime of issued Graph access tokens. */
  readonly accessTokenLifetimeSec?: number;
  readonly now?: () => number;
  /** Choices for the facts graph-reference §13 could not confirm (defaults: its best guesses). */
  readonly unconfirmed?: Partial<UnconfirmedBehaviour>;
  /** The national cloud the tenant plays: calls a cloud does not offer are not there (§9). */
  readonly cloud?: CloudName;
  /** Redirect URIs registered for the bot's app; default: any loopback URI. */
  readonly redirectUris?: readonly string[];
}

type Item = Readonly<Record<string, unknown>> | undefined;

export class SimulatedTenant {
  readonly requests: LoggedRequest[] = [];
  private readonly envelope: Envelope;
  private readonly faults: Faults;
  private readonly entra: SimulatedEntra;
  private readonly lifecycleWorkflows: LifecycleWorkflows;
  private readonly pimRoles: PimRoles;
  private readonly pimGroups: PimGroups;
  private readonly entitlementManagement: EntitlementManagement;
  private readonly approvals: Approvals;
  private readonly directory: Directory;
  private readonly routes: readonly Route[];
  private behaviour: UnconfirmedBehaviour;

  constructor(
    readonly seed: DemoSeed,
    options: TenantOptions = {},
  ) {
    const now = options.now ?? Date.now;
    this.behaviour = { ...DEFAULT_UNCONFIRMED, ...options.unconfirmed };
    this.envelope = createEnvelope(now);
    this.faults = new Faults(this.envelope, now);
    this.entra = new SimulatedEntra(seed, this.envelope, now, options.accessTokenLifetimeSec);
    this.entra.redirectUris = options.redirectUris ?? null;
    this.entra.cloud = options.cloud ?? 'global';
    const deps: AreaDeps = {
      envelope: this.envelope,
      faults: this.faults,
      now,
      behaviour: () => this.behaviour,
      cloud: options.cloud ?? 'global',
      userByName: (name) => this.entra.userByName(name),
    };
    this.lifecycleWorkflows = new LifecycleWorkflows(deps);
    this.pimRoles = new PimRoles(deps);
    this.pimGroups = new PimGroups(deps);
    this.entitlementManagement = new EntitlementManagement(deps);
    this.approvals = new Approvals(deps, {
      rows: (kind) =>
        kind === 'role'
          ? this.pimRoles.rows()
          : kind === 'group'
            ? this.pimGroups.rows()
            : this.entitlementManagement.rows(),
      shapes: { role: ROLE_REQUEST_SHAPE, group: GROUP_REQUEST_SHAPE, access: ACCESS_REQUEST_SHAPE },
    });
    this.directory = new Directory(this.envelope);
    this.load(seed);
    this.routes = [
      // First: the request areas' approver filters are answered by the approvals.
      ...this.approvals.routes(),
      ...this.lifecycleWorkflows.routes(),
      ...this.pimRoles.routes(),
      ...this.pimGroups.routes(),
      ...this.entitlementManagement.routes(),
      ...this.directory.routes(),
    ];
  }

  get tenantId(): string {
    return this.seed.tenantId;
  }

  /** On-behalf-of grants answered (success or not). */
  get tokenRequests(): number {
    return this.entra.tokenRequests;
  }

  /** The unconfirmed facts as the tenant currently plays them. */
  get unconfirmed(): UnconfirmedBehaviour {
    return this.behaviour;
  }

  /** Changes some unconfirmed facts (tests and the /_sandbox/options control); the rest stay. */
  setUnconfirmed(choice: Partial<UnconfirmedBehaviour>): void {
    this.behaviour = { ...this.behaviour, ...choice };
  }

  /** Replaces all state with the seed's (users first: items name their principals). */
  load(seed: DemoSeed): void {
    this.entra.loadUsers(seed.users);
    this.directory.load(seed.groups);
    this.lifecycleWorkflows.load(seed.workflows);
    this.pimRoles.load(seed.roleRequests);
    this.pimGroups.loadGroups(seed.groups);
    this.pimGroups.load(seed.groupRequests);
    this.entitlementManagement.catalogs.load(seed.catalogs ?? [], seed.users);
    this.entitlementManagement.load(seed.accessRequests);
    this.approvals.clear();
    for (const r of seed.roleRequests) this.approvals.addFor('role', r);
    for (const r of seed.groupRequests) this.approvals.addFor('group', r);
    for (const r of seed.accessRequests) this.approvals.addFor('access', r);
  }

  addRoleRequest(r: SeedRoleRequest): void {
    this.pimRoles.add(r);
    this.approvals.addFor('role', r);
  }
  addGroupRequest(r: SeedGroupRequest): void {
    this.pimGroups.add(r);
    this.approvals.addFor('group', r);
  }
  addAccessRequest(r: SeedAccessRequest): void {
    this.entitlementManagement.add(r);
    this.approvals.addFor('access', r);
  }

  /** The approval of a request (its stages), for assertions. */
  getApproval(requestId: string): ReturnType<Approvals['get']> {
    return this.approvals.get(requestId);
  }
  addRun(workflowId: string, run: SeedRun): void {
    this.lifecycleWorkflows.addRun(workflowId, run);
  }

  /**
   * Fresh actionable items for a sandbox demo of notification cards; returns their ids. With
   * `approverId` (a directory user), also a role request waiting for that user's approval.
   */
  addDemoItems(approverId: string | null = null): DemoItems {
    const approver = approverId ? this.seed.users.find((u) => u.id.toLowerCase() === approverId.toLowerCase()) : null;
    return addDemoItems(
      {
        lifecycleWorkflows: this.lifecycleWorkflows,
        pimRoles: this.pimRoles,
        entitlementManagement: this.entitlementManagement,
        addRoleRequest: (r) => this.addRoleRequest(r),
      },
      this.seed.examples,
      approver?.displayName ?? null,
    );
  }

  getRun(_workflowId: string, runId: string): Item {
    return this.lifecycleWorkflows.getRun(runId);
  }
  getTaskResult(_w: string, _t: string, resultId: string): Item {
    return this.lifecycleWorkflows.getTaskResult(resultId);
  }
  getRoleRequest(id: string): Item {
    return this.pimRoles.get(id);
  }
  getGroupRequest(id: string): Item {
    return this.pimGroups.get(id);
  }
  getAccessRequest(id: string): Item {
    return this.entitlementManagement.get(id);
  }

  injectFault(fault: Fault): void {
    this.faults.inject(fault);
  }

  clearFaults(): void {
    this.faults.clear();
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
    return this.entra.issueSsoToken(aadObjectId, clientId, opts);
  }

  /** An app-only access token for another app calling this bot's API (see SimulatedEntra). */
  issueAppToken(opts: Parameters<SimulatedEntra['issueAppToken']>[0]): string {
    return this.entra.issueAppToken(opts);
  }

  /** Claims of a token this tenant issued (for tests); throws when it is not one. */
  decode(token: string): Claims {
    return decodeJwt(token).claims;
  }

  /** Injected faults first, then the sandbox's own routes, then Entra sign-in, then Graph. */
  handle(req: SimRequest): SimResponse {
    return this.handleOne(req, false);
  }

  private handleOne(req: SimRequest, inBatch: boolean): SimResponse {
    const [rawPath = '', query = ''] = req.url.split('?', 2) as [string?, string?];
    const path = rawPath.replace(/\/+$/, '') || '/';
    const answer = (res: SimResponse, claims: Claims | null = null): SimResponse => {
      this.log(req, path, query, res, claims, inBatch);
      return res;
    };
    const early =
      this.faults.take(req, path) ??
      handleControl(req, path, {
        envelope: this.envelope,
        entra: this.entra,
        clientId: this.seed.app.clientId,
        addDemoItems: (approverId) => this.addDemoItems(approverId),
        setUnconfirmed: (choice) => this.setUnconfirmed(choice),
        unconfirmed: () => this.behaviour,
        setRedirectUris: (uris) => (this.entra.redirectUris = uris),
      }) ??
      this.entra.handle(req, path);
    if (early) return answer(early);
    const batch = handleBatch(req, path, this.envelope, (sub) => this.handleOne(sub, true));
    if (batch) return answer(batch);
    this.approvals.settleAll();
    const graph = dispatchGraph(req, path, this.routes, {
      envelope: this.envelope,
      authenticate: (r) => this.entra.authenticate(r),
      callerOf: (claims) => this.entra.callerOf(claims),
    });
    return answer(graph.response, graph.claims);
  }

  private log(
    req: SimRequest,
    path: string,
    query: string,
    res: SimResponse,
    claims: Claims | null,
    inBatch: boolean,
  ): void {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined && k !== 'authorization') headers[k] = v;
    }
    this.requests.push({
      method: req.method.toUpperCase(),
      path,
      query,
      headers,
      // Token requests carry the client secret, the user's assertion or code and verifier.
      body: path.includes('/oauth2/') ? '[form]' : req.body,
      status: res.status,
      tokenClaims: claims ? { oid: claims.oid, scp: claims.scp, aud: claims.aud } : null,
      inBatch,
    });
  }
}
