// The approvals of pending requests: stages with several approvers each, decided one stage after
// the other (graph-reference §6.7). An approval has the id of its request (PIM role, PIM group or
// access package request); a decision on its last stage, a denial, or an expiry settles the
// request itself; a request that ends without it (cancelled) closes it.
//
// https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow
//   ("Delegated approvers have 24 hours to approve requests ... The 24 hour approval time window isn't configurable."
//   "Approvers aren't able to approve their own role activation requests.")
// https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-access-package-approval-policy
//   ("Approvers aren't able to approve their own access package requests.")

import type { Row } from './items';
import { unknownProperty } from './undeclared';
import { STAGE_PROPERTIES } from './declaredProperties';
import { startStage } from './approvalClock';

export { EM_STAGE_WINDOW_MS, PIM_APPROVAL_WINDOW_MS, startStage } from './approvalClock';

export type ApprovalKind = 'role' | 'group' | 'access';

/**
 * The longest justification the tenant accepts. No Graph page states a limit; 500 characters is
 * the longest the Entra admin center lets an approver type (⚠️ not confirmed by the API docs).
 */
export const JUSTIFICATION_MAX = 500;

export type StageStatus = 'InProgress' | 'Initializing' | 'Completed' | 'Expired';
export type ReviewResult = 'NotReviewed' | 'Approved' | 'Denied';

export interface Person {
  readonly id: string;
  readonly displayName: string;
}

export interface Stage {
  readonly id: string;
  readonly displayName: string | null;
  readonly approvers: readonly Person[];
  status: StageStatus;
  reviewResult: ReviewResult;
  reviewedBy: Person | null;
  reviewedDateTime: string | null;
  justification: string;
  /**
   * The policy's isApproverJustificationRequired for this stage: "Indicates whether the approver
   * is required to provide a justification for approving a request"
   * (https://learn.microsoft.com/en-us/graph/api/resources/accesspackageapprovalstage?view=graph-rest-1.0).
   */
  readonly justificationRequired: boolean;
  expiresAt: number;
}

export interface Approval {
  readonly id: string;
  readonly kind: ApprovalKind;
  readonly stages: Stage[];
  /** The request this approval decides; its status changes when the approval settles. */
  readonly request: Row;
  /** The requester (who may not read the approval unless an approver of a stage: mayRead). */
  readonly requesterId: string;
  /** An access package policy's durationBeforeAutomaticDenial (approvalClock.ts); PIM ignores it. */
  readonly stageWindowMs: number;
}

export type Refusal = { readonly status: number; readonly code: string; readonly message: string };

/**
 * Whether the request still waits for this approval: PIM status PendingApproval, access package
 * state pendingApproval. Every other value means the request went on without it: settled by this
 * approval, or cancelled, which is an end state of both request types
 * (https://learn.microsoft.com/en-us/graph/api/resources/accesspackageassignmentrequest?view=graph-rest-1.0,
 * https://learn.microsoft.com/en-us/graph/api/resources/unifiedroleassignmentschedulerequest?view=graph-rest-1.0).
 */
function requestWaits(a: Approval): boolean {
  const v = a.kind === 'access' ? a.request.state : a.request.status;
  return typeof v === 'string' && v.toLowerCase() === 'pendingapproval';
}

/**
 * Brings the approval up to date with its request and the clock: first closes the stages of a
 * request that no longer waits (a cancelled one), then expires a stage whose window has passed.
 * Every read and decision goes through here, so a request ended by any route (the cancel actions,
 * the tenant's control) leaves nothing to decide.
 */
export function settle(a: Approval, now: number): void {
  closeEnded(a);
  settleExpiry(a, now);
}

/**
 * A request that ended without its approval (cancelled) leaves no stage waiting. ⚠️ No Graph page
 * says what a stage of a cancelled request reads: of approvalStage's documented statuses
 * (InProgress, Initializing, Completed, Expired) Completed with reviewResult NotReviewed and no
 * reviewer is the least surprising (the stage is over, nobody decided it); Expired would claim a
 * timeout that never happened. Stages that never started (Initializing) close the same way.
 */
function closeEnded(a: Approval): void {
  if (requestWaits(a)) return;
  for (const s of a.stages) {
    if (s.status === 'InProgress' || s.status === 'Initializing') s.status = 'Completed';
  }
}

/** Expires the current stage when its window has passed, and with it the request. */
function settleExpiry(a: Approval, now: number): void {
  const current = a.stages.find((s) => s.status === 'InProgress');
  if (!current || now < current.expiresAt) return;
  current.status = 'Expired';
  // ⚠️ Graph's request status list has no "Expired": PIM requests end as Canceled here, access
  // package requests as denied with status Expired (as My Access shows them).
  settleRequest(a, 'expired', now);
}

function currentStage(a: Approval): Stage | undefined {
  return a.stages.find((s) => s.status === 'InProgress');
}

function isApprover(stage: Stage, callerId: string): boolean {
  return stage.approvers.some((p) => p.id.toLowerCase() === callerId.toLowerCase());
}

/** Awaiting this caller's decision: the current stage names them. */
export function awaits(a: Approval, callerId: string): boolean {
  const stage = currentStage(a);
  return stage !== undefined && isApprover(stage, callerId);
}

/**
 * May read the approval: an approver of one of its stages. "This API request is made by an
 * approver" (https://learn.microsoft.com/en-us/graph/api/approval-get?view=graph-rest-1.0); the
 * requester who approves no stage is refused, the strict reading of a page that names no other reader.
 */
export function mayRead(a: Approval, callerId: string): boolean {
  return a.stages.some((s) => isApprover(s, callerId));
}

/**
 * A PIM role or group request to extend or renew an assignment (selfExtend, selfRenew,
 * adminExtend, adminRenew): "Approval for extend and renew requests is currently not supported by
 * the Microsoft Graph API" (pim-approval-workflow, above). ⚠️ The page does not say how Graph
 * refuses the PATCH; the tenant gives the strictest plausible answer, 400 BadRequest in Graph's
 * error envelope, whoever asks and whatever the body (README, unconfirmed facts). For PIM for
 * Groups no page says either way (⚠️ README, unconfirmed facts): approving a renewal the
 * administrator "must enter a new start date, end date, and assignment type" (an extension "can
 * choose" them)
 * (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/groups-renew-extend),
 * which a stage's decision cannot carry, so the tenant refuses it the same way. An access package
 * request has no `action`.
 */
export function graphCannotDecide(a: Approval): boolean {
  const action = a.request.action;
  return (
    (a.kind === 'role' || a.kind === 'group') &&
    typeof action === 'string' &&
    /^(self|admin)(extend|renew)$/i.test(action)
  );
}

/**
 * One approver's decision on one stage: null when applied (204), otherwise Graph's refusal. 403
 * for someone who is not an approver of that stage or who asked for the role or package, 400
 * for a PIM extension or renewal (graphCannotDecide), 409
 * when another approver of the stage decided first (approvalstage-update) or when the request no
 * longer waits (cancelled).
 */
export function decide(a: Approval, stageId: string, caller: Person, body: unknown, now: number): Refusal | null {
  settle(a, now);
  const stage = a.stages.find((s) => s.id.toLowerCase() === stageId.toLowerCase());
  if (!stage) return { status: 404, code: 'ResourceNotFound', message: `Approval stage '${stageId}' was not found.` };
  if (!isApprover(stage, caller.id)) {
    return {
      status: 403,
      code: 'Authorization_RequestDenied',
      message: 'Insufficient privileges to complete the operation.',
    };
  }
  // "Approvers aren't able to approve their own role activation requests" (pim-approval-workflow,
  // above); "Approvers aren't able to approve their own access package requests"
  // (https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-access-package-approval-policy).
  // The groups page says neither. ⚠️ Graph's status and code for it are not documented: 403 as
  // for a caller without the right to decide, with the message Azure Resource Manager's PIM gives.
  if (a.kind !== 'group' && a.requesterId.toLowerCase() === caller.id.toLowerCase()) {
    return { status: 403, code: 'Authorization_RequestDenied', message: "Request doesn't allow Self-Approval." };
  }
  if (graphCannotDecide(a)) {
    return {
      status: 400,
      code: 'BadRequest',
      message:
        'Approval for extend and renew requests is not supported by the Microsoft Graph API. Use the Microsoft Entra admin center.',
    };
  }
  // "reviewResult" and "justification" are all an update sets (approvalstage-update). A name the
  // type does not have is refused as OData refuses it; its other properties (id, status,
  // displayName...) are accepted and ignored: no page says Graph refuses them.
  const type = a.kind === 'role' ? 'microsoft.graph.approvalStep' : 'microsoft.graph.approvalStage';
  const unknown = unknownProperty(body, STAGE_PROPERTIES, type);
  if (unknown !== null) return { status: 400, code: 'BadRequest', message: unknown };
  const b = (body ?? {}) as { reviewResult?: unknown; justification?: unknown };
  // "Approve" or "Deny", as approvalstage-update spells them: no page says Graph takes another case.
  const result = b.reviewResult === 'Approve' ? 'approve' : b.reviewResult === 'Deny' ? 'deny' : '';
  if (result === '') {
    return { status: 400, code: 'BadRequest', message: 'reviewResult must be Approve or Deny.' };
  }
  if (b.justification !== undefined && b.justification !== null && typeof b.justification !== 'string') {
    return { status: 400, code: 'BadRequest', message: 'justification must be a string.' };
  }
  const justification = typeof b.justification === 'string' ? b.justification : '';
  // Characters as a person (and the admin center) counts them, code points: `length` counts UTF-16
  // code units, two for each emoji, and would refuse 500 of them. Counted here on its own, not
  // with the bot's helper, so the simulator stays an independent check of the bot.
  if (Array.from(justification).length > JUSTIFICATION_MAX) {
    return {
      status: 400,
      code: 'BadRequest',
      message: `justification must be at most ${JUSTIFICATION_MAX} characters.`,
    };
  }
  if (stage.status === 'Completed' && stage.reviewResult !== 'NotReviewed') {
    return {
      status: 409,
      code: 'Conflict',
      message: 'The request has already been decided by another approver in the same approval stage.',
    };
  }
  if (stage.status === 'Expired')
    return { status: 400, code: 'BadRequest', message: 'The approval stage has expired.' };
  // A cancelled request has nothing left to decide (cancel applies only to a request that waits:
  // https://learn.microsoft.com/en-us/graph/api/accesspackageassignmentrequest-cancel?view=graph-rest-1.0).
  // ⚠️ No page names this refusal; it is the one Graph documents for a stage no longer open to a
  // decision (https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0: 409 Conflict).
  if (!requestWaits(a)) {
    return {
      status: 409,
      code: 'Conflict',
      message: 'The request is no longer pending approval; there is nothing left to decide.',
    };
  }
  if (stage.status !== 'InProgress') {
    return { status: 400, code: 'BadRequest', message: 'The approval stage has not started yet.' };
  }
  // ⚠️ No page names Graph's refusal of an approval without the justification its policy asks
  // for; 400 BadRequest, the answer to a body the stage cannot take, is the strict reading.
  if (result === 'approve' && stage.justificationRequired && justification.trim() === '') {
    return { status: 400, code: 'BadRequest', message: 'A justification is required to approve this request.' };
  }
  stage.status = 'Completed';
  stage.reviewResult = result === 'approve' ? 'Approved' : 'Denied';
  stage.reviewedBy = { id: caller.id, displayName: caller.displayName };
  stage.reviewedDateTime = new Date(now).toISOString();
  stage.justification = justification;
  const next = a.stages[a.stages.indexOf(stage) + 1];
  if (result === 'deny') settleRequest(a, 'denied', now);
  else if (next) startStage(a, next, now);
  else settleRequest(a, 'approved', now);
  return null;
}

function settleRequest(a: Approval, how: 'approved' | 'denied' | 'expired', now: number): void {
  // canceled, denied, delivered, Provisioned... are end states: no decision or expiry moves a
  // request out of one.
  if (!requestWaits(a)) return;
  const r = a.request;
  r.completedDateTime = new Date(now).toISOString();
  if (a.kind === 'access') {
    r.state = how === 'approved' ? 'delivered' : 'denied';
    r.status = how === 'approved' ? 'Delivered' : how === 'denied' ? 'Denied' : 'Expired';
  } else {
    r.status = how === 'approved' ? 'Provisioned' : how === 'denied' ? 'Denied' : 'Canceled';
  }
}

const NOT_REVIEWED = { id: '00000000-0000-0000-0000-000000000000', displayName: null };

/** A stage as Graph returns it to this caller: v1.0 approvalStage, or beta approvalStep. */
export function stageView(stage: Stage, callerId: string, beta: boolean): Record<string, unknown> {
  const by = stage.reviewedBy;
  return {
    id: stage.id,
    displayName: stage.displayName,
    reviewedDateTime: stage.reviewedDateTime,
    reviewResult: stage.reviewResult,
    status: stage.status,
    assignedToMe: isApprover(stage, callerId),
    justification: stage.justification,
    // v1.0: an identity; beta approvalStep: a collection of userIdentity (graph-reference §6.7);
    // "00000000-0000-0000-0000-000000000000 if the assigned reviewer hasn't reviewed"
    // (https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0,
    // .../approvalstep?view=graph-rest-beta). ⚠️ approval-get's example shows null instead: the
    // bot reads both (unit/approvalView.test.ts).
    reviewedBy: beta ? [{ ...(by ?? NOT_REVIEWED), userPrincipalName: null }] : (by ?? NOT_REVIEWED),
  };
}
