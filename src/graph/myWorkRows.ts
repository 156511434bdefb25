// One request read by "my approvals" or "my requests" (myWorkReader.ts) as a row of the list: the
// fields the card shows, from the request and the relationships its read expands (myWorkSources.ts).
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow

import { firstCharacters } from '../domain/characters';
import { ListName, WorkItem, WorkKind } from '../domain/myWork';
import { CATALOG, isGuid } from '../domain/operations';
import { creatorOf } from '../domain/requestCreator';
import { askersOf } from './decisionBars';
import { graphName } from '../domain/shownNames';

/** PIM's fixed approval window (pim-approval-workflow): 24 hours, not configurable. */
const PIM_WINDOW_MS = 24 * 3600_000;

type Obj = Record<string, unknown>;
export const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' ? (v as Obj) : {});
export const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? firstCharacters(v, 300) : null);
/** A directory name (a person's, a role's, a group's, an access package's) as the card shows it:
 * bidirectional controls and control characters left out, as the intake shows an event's names. */
const name = (v: unknown): string | null => graphName(v, 300);
/** A justification, the requester's own text as Graph returns it: shown as the names are (tabs and
 * line breaks kept). */
const justification = (v: unknown): string | null => graphName(v, 300);

/** The read a decision of this kind judges one's own request by (its requester fields). */
const DECISION_READS = {
  role: CATALOG.decideRoleApproval.undecidable,
  group: CATALOG.decideGroupApproval.undecidable,
  access: CATALOG.decideAccessPackageApproval.requesterRead,
} as const;

/** One request as a row; null when it lacks a usable id. */
export function rowOf(kind: WorkKind, r: Obj, list: ListName): WorkItem | null {
  const row = rowFields(kind, r, list);
  // Who asked, as the decision judges it, so the list leaves out exactly what it would refuse.
  return row && list === 'approvals' ? { ...row, askedBy: askersOf(DECISION_READS[kind], r) } : row;
}

function rowFields(kind: WorkKind, r: Obj, list: ListName): WorkItem | null {
  const id = r.id;
  if (!isGuid(id)) return null;
  const createdAt = str(r.createdDateTime);
  if (kind === 'access') {
    const schedule = obj(obj(r.schedule).expiration);
    return {
      kind,
      requestId: id.toLowerCase(),
      requester: name(obj(r.requestor).displayName),
      requesterId: str(obj(r.requestor).objectId),
      what: name(obj(r.accessPackage).displayName),
      justification: justification(r.justification),
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
    requester: name(obj(r.principal).displayName) ?? name(obj(obj(r.createdBy).user).displayName),
    what: name(obj(kind === 'role' ? r.roleDefinition : r.group).displayName),
    justification: justification(r.justification),
    duration: str(obj(obj(r.scheduleInfo).expiration).duration),
    createdAt,
    expiresAt: list === 'approvals' && !Number.isNaN(created) ? new Date(created + PIM_WINDOW_MS).toISOString() : null,
    // Graph cannot decide a PIM extension or renewal (pim-approval-workflow for roles; inferred for
    // groups, README unconfirmed facts): its row says so.
    action: str(r.action),
    requesterId: str(r.principalId) ?? str(obj(obj(r.createdBy).user).id),
    // "my requests": who created it, which decides whether its principal may cancel it themselves.
    ...(list === 'requests' ? { createdById: creatorOf(r.createdBy) } : {}),
  };
}
