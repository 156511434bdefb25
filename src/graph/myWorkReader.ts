// The Graph reads behind "my approvals" and "my requests" (graph-reference §7), as the signed-in
// user: the three first pages in one JSON batch, then each source's @odata.nextLink on "more".
//
// my approvals: filterByCurrentUser(on='approver') on each request collection (the requests carry
//   requester, justification and duration; the approval's id is the request's id, §6.7).
// my requests: PIM role and group filterByCurrentUser(on='principal'), access packages
//   filterByCurrentUser(on='target'), each filtered to the requests still pending approval.
// https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroupassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow

import { DomainError, UpstreamError, isDomainError } from '../domain/errors';
import { AccessTokenSource } from '../domain/governance';
import {
  Continuations,
  ListName,
  MyWorkPort,
  ROW_OPERATION,
  WORK_KINDS,
  WorkFetch,
  WorkItem,
  WorkKind,
} from '../domain/myWork';
import { isGuid } from '../domain/operations';
import { GraphGateway } from './graphGateway';
import { mapGraphError } from './graphErrors';
import { parseRetryAfter } from '../domain/retryAfter';

/** A throttled batch item is re-sent after its Retry-After, but a list never waits longer than this. */
const MAX_BATCH_RETRY_WAIT_MS = 10_000;

/** The statuses of a batch item read again alone after a wait: throttled, or the service busy. */
const READ_AGAIN: ReadonlySet<number> = new Set([429, 503, 504]);

/** PIM's approver filter answers at most 50 requests and no nextLink (anchors-and-user-needs §2.2). */
export const APPROVER_FILTER_CAP = 50;
/** PIM's fixed approval window (pim-approval-workflow): 24 hours, not configurable. */
const PIM_WINDOW_MS = 24 * 3600_000;

const ROLE = '/roleManagement/directory/roleAssignmentScheduleRequests';
const GROUP = '/identityGovernance/privilegedAccess/group/assignmentScheduleRequests';
const ACCESS = '/identityGovernance/entitlementManagement/assignmentRequests';
const q = (s: string): string => encodeURIComponent(s);

const FIRST: Readonly<Record<ListName, Readonly<Record<WorkKind, string>>>> = {
  approvals: {
    // The principal names who asked: createdBy.user comes with "displayName": null in Microsoft's
    // examples (pim-approval-workflow; unifiedroleassignmentschedulerequest-filterbycurrentuser).
    role: `${ROLE}/filterByCurrentUser(on='approver')?$filter=${q("status eq 'PendingApproval'")}&$expand=roleDefinition,principal`,
    group: `${GROUP}/filterByCurrentUser(on='approver')?$filter=${q("status eq 'PendingApproval'")}&$expand=group,principal`,
    access: `${ACCESS}/filterByCurrentUser(on='approver')?$expand=accessPackage,requestor`,
  },
  requests: {
    role: `${ROLE}/filterByCurrentUser(on='principal')?$filter=${q("status eq 'PendingApproval'")}&$expand=roleDefinition`,
    group: `${GROUP}/filterByCurrentUser(on='principal')?$filter=${q("status eq 'PendingApproval'")}&$expand=group`,
    access: `${ACCESS}/filterByCurrentUser(on='target')?$filter=${q("state eq 'pendingApproval'")}&$expand=accessPackage,requestor`,
  },
};

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' ? (v as Obj) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v.slice(0, 300) : null);

export class MyWorkReader implements MyWorkPort {
  constructor(private readonly gateway: GraphGateway) {}

  async fetch(list: ListName, token: AccessTokenSource, next?: Continuations): Promise<WorkFetch> {
    const kinds = next ? WORK_KINDS.filter((k) => next[k] !== undefined) : WORK_KINDS;
    const answers = next ? await this.followAll(list, kinds, next, token) : await this.firstPages(list, token);
    const items: WorkItem[] = [];
    const more: Continuations = {};
    const capped: WorkKind[] = [];
    const failed: Array<{ kind: WorkKind; error: DomainError }> = [];
    for (const kind of kinds) {
      const answer = answers.get(kind);
      if (!answer || answer instanceof DomainError) {
        failed.push({ kind, error: answer ?? new UpstreamError('Microsoft Graph did not answer this part.') });
        continue;
      }
      const value = Array.isArray(answer.value) ? answer.value : [];
      for (const raw of value) {
        const item = rowOf(kind, obj(raw), list);
        if (item) items.push(item);
      }
      const link = str(answer['@odata.nextLink']);
      if (link) more[kind] = link;
      else if (list === 'approvals' && kind !== 'access' && value.length >= APPROVER_FILTER_CAP) capped.push(kind);
    }
    return { items, next: more, capped, failed };
  }

  /** The three first pages in one $batch (fewer round trips than three calls). */
  private async firstPages(list: ListName, token: AccessTokenSource): Promise<Map<WorkKind, Obj | DomainError>> {
    const out = new Map<WorkKind, Obj | DomainError>();
    const operation = ROW_OPERATION[list].access;
    try {
      const answers = await this.gateway.batchGet(
        operation,
        'v1.0',
        WORK_KINDS.map((k) => ({ id: k, url: FIRST[list][k] })),
        token,
      );
      // A batch is answered 200 while each item is throttled on its own (429 with its own
      // Retry-After): wait that long, then send each throttled read alone through the normal call,
      // whose 429 policy (contract §4) takes over from there. An item a busy service answered 503
      // (or 504) is a read like any other: backed off and read again the same way.
      // https://learn.microsoft.com/graph/json-batching#handling-throttling-in-batches
      // https://learn.microsoft.com/graph/best-practices-concept#handling-expected-errors
      const throttled = WORK_KINDS.filter((k) => READ_AGAIN.has(answers.get(k)?.status ?? 0));
      if (throttled.length > 0) {
        const waits = throttled.map(
          (k) =>
            parseRetryAfter(answers.get(k)?.headers['retry-after'], Date.now(), answers.get(k)?.headers.date) ?? 1000,
        );
        await new Promise((r) => setTimeout(r, Math.min(MAX_BATCH_RETRY_WAIT_MS, Math.max(...waits))));
      }
      for (const kind of WORK_KINDS) {
        const a = answers.get(kind);
        if (!a) continue;
        if (READ_AGAIN.has(a.status)) {
          try {
            out.set(kind, obj(await this.gateway.getJson(ROW_OPERATION[list][kind], 'v1.0', FIRST[list][kind], token)));
          } catch (e) {
            out.set(kind, isDomainError(e) ? e : new UpstreamError('Microsoft Graph could not be read.'));
          }
          continue;
        }
        out.set(
          kind,
          a.status >= 200 && a.status < 300
            ? obj(a.body)
            : mapGraphError(ROW_OPERATION[list][kind], {
                status: a.status,
                headers: { get: (name: string) => a.headers[name.toLowerCase()] ?? null },
                bodyText: JSON.stringify(a.body ?? null),
              }),
        );
      }
    } catch (e) {
      const error = isDomainError(e) ? e : new UpstreamError('Microsoft Graph could not be read.');
      for (const kind of WORK_KINDS) out.set(kind, error);
    }
    return out;
  }

  private async followAll(
    list: ListName,
    kinds: readonly WorkKind[],
    next: Continuations,
    token: AccessTokenSource,
  ): Promise<Map<WorkKind, Obj | DomainError>> {
    const out = new Map<WorkKind, Obj | DomainError>();
    await Promise.all(
      kinds.map(async (kind) => {
        const path = this.relative(next[kind] ?? '');
        if (!path) {
          out.set(kind, new UpstreamError('Microsoft Graph pointed the next page elsewhere; it was not followed.'));
          return;
        }
        try {
          out.set(kind, obj(await this.gateway.getJson(ROW_OPERATION[list][kind], 'v1.0', path, token)));
        } catch (e) {
          out.set(kind, isDomainError(e) ? e : new UpstreamError('Microsoft Graph could not be read.'));
        }
      }),
    );
    return out;
  }

  /** A nextLink under this bot's Graph root and v1.0, as a path; null for anything else (the user's token goes nowhere else). */
  private relative(link: string): string | null {
    const root = `${this.gateway.endpoint}/v1.0/`;
    return link.startsWith(root) ? `/${link.slice(root.length)}` : null;
  }
}

/** One request as a row; null when it lacks a usable id. */
function rowOf(kind: WorkKind, r: Obj, list: ListName): WorkItem | null {
  const id = r.id;
  if (!isGuid(id)) return null;
  const createdAt = str(r.createdDateTime);
  if (kind === 'access') {
    const schedule = obj(obj(r.schedule).expiration);
    return {
      kind,
      requestId: id.toLowerCase(),
      requester: str(obj(r.requestor).displayName),
      what: str(obj(r.accessPackage).displayName),
      justification: str(r.justification),
      duration: str(schedule.duration),
      createdAt,
      // The stage's window comes from the access package's policy, which the request does not carry.
      expiresAt: null,
    };
  }
  const created = createdAt ? Date.parse(createdAt) : NaN;
  // A PIM request names its approval in `approvalId` (graph-reference §6.4, §7: list with
  // filterByCurrentUser(on='approver'), "then use approvalId"); the approval is decided by that id.
  const approvalId = list === 'approvals' && isGuid(r.approvalId) ? r.approvalId : id;
  return {
    kind,
    requestId: approvalId.toLowerCase(),
    // An activation is asked for by its principal (the expanded relationship carries the name);
    // createdBy.user usually has the id only.
    requester: str(obj(r.principal).displayName) ?? str(obj(obj(r.createdBy).user).displayName),
    what: str(obj(kind === 'role' ? r.roleDefinition : r.group).displayName),
    justification: str(r.justification),
    duration: str(obj(obj(r.scheduleInfo).expiration).duration),
    createdAt,
    expiresAt: list === 'approvals' && !Number.isNaN(created) ? new Date(created + PIM_WINDOW_MS).toISOString() : null,
    // Graph cannot decide a PIM role extension or renewal (pim-approval-workflow): its row says so.
    action: str(r.action),
  };
}
