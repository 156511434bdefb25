// Approvals of PIM for Entra roles (beta only), PIM for Groups and access package requests:
// read an approval and its stages, decide a stage, and list what waits for the caller
// (graph-reference §6.7, §7, §8). The request collections' own approver filters are routed here
// too, because only the approvals know whose turn it is (answered by approverFilter.ts).

import type { SimResponse } from '../envelope';
import type { SeedItem } from '../seed';
import { KindConfig, approvalKinds } from './approvalKinds';
import { stageWindowOf } from './approvalClock';
import { Approval, ApprovalKind, Person, Stage, decide, mayRead, settle, stageView, startStage } from './approvalModel';
import { ApproverFilterSources, approvalEntity, approvalShape, approverFilter } from './approverFilter';
import { AreaDeps, Row, lower, stableId, userRef } from './items';
import { EntityShape, parseQuery, singleEntityRefusal } from './odata';
import { Ctx, ID, Route } from './routes';

export { APPROVER_FILTER_CAP } from './approverFilter';
export { EM_PAGE_SIZE } from './items';

export interface ApprovalSources {
  /** The request rows of each kind, by lower-cased id. */
  readonly rows: (kind: ApprovalKind) => ReadonlyMap<string, Row>;
  readonly shapes: Readonly<Record<ApprovalKind, EntityShape>>;
}

/** Approval stages a seed request names: several stages, or one stage of its approvers. */
export interface SeedApprovers extends SeedItem {
  readonly approvers?: readonly string[];
  readonly approvalStages?: ReadonlyArray<readonly string[]>;
}

export class Approvals {
  private readonly approvals = new Map<string, Approval>();
  private readonly kinds: Readonly<Record<ApprovalKind, KindConfig>>;
  private readonly filtered: ApproverFilterSources;

  constructor(
    private readonly d: AreaDeps,
    private readonly sources: ApprovalSources,
  ) {
    this.kinds = approvalKinds(sources.shapes, d.behaviour);
    this.filtered = { d, kinds: this.kinds, approvals: () => this.approvals.values() };
  }

  clear(): void {
    this.approvals.clear();
  }

  /** Opens the approval of a request that waits for one (PIM PendingApproval, EM pendingApproval). */
  addFor(kind: ApprovalKind, seed: SeedApprovers): void {
    const request = this.sources.rows(kind).get(lower(seed.id));
    if (!request) return;
    const waiting = kind === 'access' ? request.state === 'pendingApproval' : request.status === 'PendingApproval';
    const names = seed.approvalStages ?? (seed.approvers?.length ? [seed.approvers] : []);
    if (!waiting || names.length === 0) return;
    // PIM's default policy asks the approver for a justification: its Approval_EndUser_Assignment
    // rule's stage has "isApproverJustificationRequired": true
    // (https://learn.microsoft.com/en-us/graph/api/unifiedrolemanagementpolicy-list-rules?view=graph-rest-1.0),
    // so a PIM request's stages require one unless its seed says otherwise. An access package
    // policy asks only when its seed says so (each policy sets its own stages).
    const stages: Stage[] = names.map((people, i) => ({
      id: stableId(`stage:${lower(seed.id)}:${i}`),
      displayName: names.length > 1 ? `Stage ${i + 1}` : null,
      approvers: people.map((n): Person => userRef(this.d, n)),
      status: 'Initializing',
      reviewResult: 'NotReviewed',
      reviewedBy: null,
      reviewedDateTime: null,
      justification: '',
      justificationRequired: seed.approverJustificationRequired ?? kind !== 'access',
      expiresAt: Number.POSITIVE_INFINITY,
    }));
    const requesterId = String(request.ownerId ?? '');
    const approval: Approval = { id: seed.id, kind, stages, request, requesterId, stageWindowMs: stageWindowOf(seed) };
    startStage(approval, stages[0]!, this.d.now());
    this.approvals.set(lower(seed.id), approval);
  }

  /** Every approval up to date with the clock before Graph answers: a lapsed request reads as such on any route. */
  settleAll(): void {
    const now = this.d.now();
    for (const a of this.approvals.values()) settle(a, now);
  }

  get(id: string): Approval | undefined {
    const a = this.approvals.get(lower(id));
    if (a) settle(a, this.d.now());
    return a;
  }

  /** Routes to register before the request areas' own (their approver filters are answered here). */
  routes(): Route[] {
    return (['role', 'group', 'access'] as const).flatMap((kind) => this.routesOf(kind));
  }

  private routesOf(kind: ApprovalKind): Route[] {
    const k = this.kinds[kind];
    const base = { pim: k.pim, ...(k.betaOnly ? { betaOnly: true } : {}) };
    const stagesRe = `(stages|steps)`;
    return [
      {
        ...base,
        method: 'GET',
        pattern: new RegExp(`^${k.approvals}/filterByCurrentUser\\(on='([^']*)'\\)$`),
        policy: k.filter,
        handle: (c) => approverFilter(this.filtered, c, kind, 'approvals'),
      },
      {
        ...base,
        method: 'GET',
        pattern: new RegExp(`^${k.approvals}/${ID}$`),
        policy: k.read,
        handle: (c) => this.readOne(c, kind),
      },
      {
        ...base,
        method: 'GET',
        pattern: new RegExp(`^${k.approvals}/${ID}/${stagesRe}$`),
        policy: k.read,
        handle: (c) =>
          this.withStages(c, kind, (a) =>
            this.d.envelope.json(c.req, 200, {
              value: a.stages.map((s) => stageView(s, c.caller.id, c.version === 'beta')),
            }),
          ),
      },
      {
        ...base,
        method: 'GET',
        pattern: new RegExp(`^${k.approvals}/${ID}/${stagesRe}/${ID}$`),
        policy: k.read,
        handle: (c) =>
          this.withStages(c, kind, (a) => {
            const s = a.stages.find((x) => lower(x.id) === lower(c.params[2] ?? ''));
            return s
              ? this.d.envelope.json(c.req, 200, stageView(s, c.caller.id, c.version === 'beta'))
              : this.d.envelope.error(c.req, 404, 'ResourceNotFound', 'The approval stage was not found.');
          }),
      },
      {
        ...base,
        method: 'PATCH',
        pattern: new RegExp(`^${k.approvals}/${ID}/${stagesRe}/${ID}$`),
        policy: k.write,
        handle: (c) => this.withStages(c, kind, (a) => this.patch(c, a)),
      },
      {
        ...base,
        betaOnly: false,
        method: 'GET',
        pattern: new RegExp(`^${k.requests}/filterByCurrentUser\\(on='(approver)'\\)$`),
        policy: k.requestFilter,
        handle: (c) => approverFilter(this.filtered, c, kind, 'requests'),
      },
      ...(k.eligibility
        ? [
            {
              ...base,
              betaOnly: false,
              method: 'GET' as const,
              pattern: new RegExp(`^${k.eligibility.requests}/filterByCurrentUser\\(on='(approver)'\\)$`),
              policy: k.eligibility.filter,
              handle: (c: Ctx) => approverFilter(this.filtered, c, kind, 'eligibility'),
            },
          ]
        : []),
    ];
  }

  private patch(c: Ctx, a: Approval): SimResponse {
    const stage = a.stages.find((s) => lower(s.id) === lower(c.params[2] ?? ''));
    const me = stage?.approvers.find((p) => lower(p.id) === lower(c.caller.id)) ?? {
      id: c.caller.id,
      displayName: c.caller.id,
    };
    const refused = decide(a, c.params[2] ?? '', me, c.body, this.d.now());
    if (refused) return this.d.envelope.error(c.req, refused.status, refused.code, refused.message);
    return this.d.envelope.ok(c.req, 204);
  }

  /** v1.0 names the stages `stages`, beta `steps` (graph-reference §6.7). */
  private withStages(c: Ctx, kind: ApprovalKind, then: (a: Approval) => SimResponse): SimResponse {
    const segment = c.params[1] ?? '';
    if (segment !== (c.version === 'beta' ? 'steps' : 'stages')) {
      return this.d.envelope.error(c.req, 400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
    }
    return this.readable(c, kind, then);
  }

  private readable(c: Ctx, kind: ApprovalKind, then: (a: Approval) => SimResponse): SimResponse {
    const a = this.get(c.params[0] ?? '');
    if (!a || a.kind !== kind) {
      return this.d.envelope.error(c.req, 404, 'ResourceNotFound', 'The approval was not found.');
    }
    // approval-get: "If the caller does not have the right permissions, the method returns a 403".
    if (!mayRead(a, c.caller.id)) {
      return this.d.envelope.error(
        c.req,
        403,
        'Authorization_RequestDenied',
        'Insufficient privileges to complete the operation.',
      );
    }
    return then(a);
  }

  /** One approval: a read of one entity takes no collection option, and expands only its stages. */
  private readOne(c: Ctx, kind: ApprovalKind): SimResponse {
    const single = singleEntityRefusal(c.query);
    if (single) return this.d.envelope.error(c.req, 400, 'BadRequest', single);
    const parsed = parseQuery(c.query, c.req.headers, approvalShape(c.version === 'beta'));
    if (!parsed.ok) return this.d.envelope.error(c.req, 400, parsed.code, parsed.message, parsed.details);
    return this.readable(c, kind, (a) => this.d.envelope.json(c.req, 200, approvalEntity(a, c)));
  }
}
