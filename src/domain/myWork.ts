// "my approvals" and "my requests": what waits for the signed-in user's decision, and what they
// asked for and may still cancel, across PIM for Entra roles, PIM for Groups and access packages
// (graph-reference §7). The domain knows the shape of a row and the order; the Graph side
// (graph/myWorkReader.ts) knows the calls.

import { DomainError } from './errors';
import { CATALOG, OperationName, Target } from './operations';
import { createdByAnother } from './requestCreator';

export type ListName = 'approvals' | 'requests';
export type WorkKind = 'role' | 'group' | 'access';
export const WORK_KINDS: readonly WorkKind[] = ['role', 'group', 'access'];

/** The operation a row's buttons run: decide it (my approvals) or cancel it (my requests). */
export const ROW_OPERATION: Readonly<Record<ListName, Readonly<Record<WorkKind, OperationName>>>> = {
  approvals: { role: 'decideRoleApproval', group: 'decideGroupApproval', access: 'decideAccessPackageApproval' },
  requests: { role: 'cancelRoleRequest', group: 'cancelGroupRequest', access: 'cancelAccessPackageRequest' },
};

/**
 * The least delegated permission of each "my approvals" read (the approver filter over each kind's
 * requests), named when Graph refuses it. The pages:
 * https://learn.microsoft.com/en-us/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
 * https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroupassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
 * https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0
 * ("my requests" reads the same functions as each cancel's own-request read: the catalog names those.)
 */
export const APPROVER_LIST_PERMISSION: Readonly<Record<WorkKind, string>> = {
  role: 'RoleAssignmentSchedule.ReadWrite.Directory',
  group: 'PrivilegedAssignmentSchedule.Read.AzureADGroup',
  access: 'EntitlementManagement.Read.All',
};

/** The id of a kind's "my approvals" read of its eligibility requests (graph/myWorkSources.ts). */
export const eligibilityReadId = (kind: WorkKind): string => `${kind}.eligibility`;

/**
 * The least delegated permission of one "my approvals" read, named by its id: the eligibility
 * requests' approver filter has its own (catalog `undecidable.eligibility`: for PIM roles
 * RoleEligibilitySchedule.ReadWrite.Directory,
 * https://learn.microsoft.com/en-us/graph/api/unifiedroleeligibilityschedulerequest-filterbycurrentuser),
 * every other read the kind's APPROVER_LIST_PERMISSION.
 */
export function approverReadPermission(kind: WorkKind, readId: string): string {
  const eligibility =
    readId === eligibilityReadId(kind) ? CATALOG[ROW_OPERATION.approvals[kind]].undecidable?.eligibility : undefined;
  return eligibility?.permission ?? APPROVER_LIST_PERMISSION[kind];
}

export const KIND_NAMES: Readonly<Record<WorkKind, string>> = {
  role: 'PIM role',
  group: 'PIM for Groups',
  access: 'Access package',
};

/** One row: a request, as the list card shows it. */
export interface WorkItem {
  readonly kind: WorkKind;
  readonly requestId: string;
  readonly requester: string | null;
  /** The role, group or access package asked for. */
  readonly what: string | null;
  readonly justification: string | null;
  /** ISO 8601 duration asked for, e.g. PT8H. */
  readonly duration: string | null;
  readonly createdAt: string | null;
  /** When the decision window closes, when known (PIM: 24 hours after the request). */
  readonly expiresAt: string | null;
  /** A PIM request's `action` (selfActivate, selfExtend, …), when Graph gave it: an extension or
   * renewal cannot be decided through Graph (catalog `undecidable`). Absent in lists kept before. */
  readonly action?: string | null;
  /** The object id of who asked (PIM: the principal; access packages: the requestor), when Graph
   * gave it. Absent in lists kept before. */
  readonly requesterId?: string | null;
  /** A PIM request's creator (requestCreator.ts creatorOf: `user:<id>`, or `application:<id>` for a
   * request an application made; a bare user id in lists kept before it), when Graph gave it: the
   * principal for a request they made, an administrator for an assignment made for them
   * (adminAssign). Absent in older lists, and for access packages (whose requests name a requestor). */
  readonly createdById?: string | null;
  /** `my approvals`: the object ids of who asked, by the fields a decision judges one's own
   * request by (graph/decisionBars.ts askersOf). Absent in lists kept before (requesterId then). */
  readonly askedBy?: readonly string[];
}

/**
 * The approvals an approver cannot decide because they asked for them: "Approvers aren't able to
 * approve their own role activation requests"
 * (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow),
 * "Approvers aren't able to approve their own access package requests"
 * (https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-access-package-approval-policy).
 * The PIM for Groups approval page says neither (groups-approval-workflow): those stay listed.
 */
const OWN_UNDECIDABLE: readonly WorkKind[] = ['role', 'access'];

/** The rows of `my approvals` that wait for this user, without their own requests of those kinds. */
export function decidableBy(list: ListName, items: readonly WorkItem[], userId: string): WorkItem[] {
  if (list !== 'approvals') return [...items];
  const me = userId.toLowerCase();
  const asked = (i: WorkItem) => i.askedBy ?? (i.requesterId ? [i.requesterId] : []);
  return items.filter((i) => !(OWN_UNDECIDABLE.includes(i.kind) && asked(i).some((id) => id.toLowerCase() === me)));
}

/**
 * Whether a "my requests" row is a PIM request someone other than its owner created, as an
 * administrator's assignment for them names the administrator in createdBy (requestCreator.ts):
 * its owner may not cancel it without an administrator role. A row without a creator (kept before,
 * or not given) says no: its Cancel stays, as before.
 */
export function createdByOther(list: ListName, item: WorkItem, userId: string): boolean {
  return list === 'requests' && item.kind !== 'access' && createdByAnother(item.createdById, userId);
}

/**
 * Where each source continues (Graph's @odata.nextLink), when it has more, by the source's id: its
 * kind (`access`), or its kind and the state it reads (`access.scheduled`) when a kind takes
 * several reads (graph/myWorkSources.ts).
 */
export type Continuations = Readonly<Record<string, string>>;

export interface WorkFailure {
  readonly kind: WorkKind;
  readonly error: DomainError;
  /** Absent: the kind's reads are not known (all taken to have failed so). */
  readonly reads?: readonly string[];
}

export interface WorkFetch {
  readonly items: readonly WorkItem[];
  readonly next: Continuations;
  /** Sources that answered with the approver filter's cap (50, no nextLink): there may be more. */
  readonly capped: readonly WorkKind[];
  /** Kinds that could not be read, and why (the others are still shown): the first error of the
   * kind, and the ids of its reads that failed so (the same code), which say whose permission a
   * refusal is about. */
  readonly failed: ReadonlyArray<WorkFailure>;
}

/** A list read's one deadline, throttled reads again and next pages followed included (contract
 * §4: a call's 30 s). */
export const LIST_BUDGET_MS = 30_000;

/** What the lists need from Graph, as the signed-in user. */
export interface MyWorkPort {
  /** The first page of every source, or the next pages of the sources in `next`, within
   * `budgetMs` (never more than LIST_BUDGET_MS; what a read of several pages has left). */
  fetch(list: ListName, token: () => Promise<string>, next?: Continuations, budgetMs?: number): Promise<WorkFetch>;
}

export function targetOf(list: ListName, item: Pick<WorkItem, 'kind' | 'requestId'>): Target {
  return { operation: ROW_OPERATION[list][item.kind], ids: { requestId: item.requestId } };
}

/**
 * Newest first; items without a date last. Requests made in the same millisecond are ordered by
 * id, so a page holds the same rows whatever order Graph's sources answered in.
 */
export function newestFirst(items: readonly WorkItem[]): WorkItem[] {
  const t = (i: WorkItem): number => (i.createdAt ? Date.parse(i.createdAt) || 0 : 0);
  return [...items].sort((a, b) => t(b) - t(a) || (a.requestId < b.requestId ? -1 : a.requestId > b.requestId ? 1 : 0));
}

/**
 * When a row's approval time ends, as a list card shows it: its minute, never later than the
 * moment ("2026-03-05 10:00 UTC"), with "(passed)" when it had passed as the card was rendered; null
 * when the window is unknown. The moment, not a time left: the card stays in the chat, where a
 * time left counted when it was rendered is read later as time still to come.
 */
export function approvalEnds(expiresAt: string | null, now: number): string | null {
  if (!expiresAt) return null;
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at)) return null;
  const shown = `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return at <= now ? `${shown} (passed)` : shown;
}

/** PT8H → "8 hours", P1DT2H → "1 day 2 hours"; the raw value when it is not a simple duration. */
export function durationWords(iso: string | null): string | null {
  if (!iso) return null;
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso);
  if (!m || iso === 'P' || iso === 'PT') return iso;
  const part = (n: string | undefined, word: string): string[] =>
    n && Number(n) > 0 ? [`${Number(n)} ${word}${Number(n) === 1 ? '' : 's'}`] : [];
  const words = [...part(m[1], 'day'), ...part(m[2], 'hour'), ...part(m[3], 'minute')];
  return words.length > 0 ? words.join(' ') : iso;
}
