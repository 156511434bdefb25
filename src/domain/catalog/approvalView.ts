// An approval as one approver sees it: which of its stages is theirs and where that stage stands.
// Graph returns the approval with every stage and `assignedToMe` per stage (v1.0 `stages`, beta
// `steps`); the catalog's state read turns it into one state, who decided and when, and the
// stage id the PATCH needs (graph-reference §6.7).
// https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0

import { personAt, personIdAt } from '../itemFields';

/** The states an approval can be in for its reader. */
export const APPROVAL_STATES = {
  /** A stage assigned to the reader waits for a decision. */
  open: 'InProgress',
  approved: 'Approved',
  denied: 'Denied',
  expired: 'Expired',
  /** A stage Completed without a review (reviewResult NotReviewed): it closed without a decision
   * (the request was cancelled, say). Nothing is left to decide, and nobody approved it.
   * Microsoft's own example shows such a stage (approval-filterbycurrentuser, beta:
   * https://learn.microsoft.com/en-us/graph/api/approval-filterbycurrentuser?view=graph-rest-beta). */
  closed: 'Closed',
  /** The reader's stage has not started: an earlier stage is still open. */
  later: 'WaitingForAnEarlierStage',
  /** No stage is the reader's. */
  notMine: 'NotAssignedToYou',
} as const;

export interface ApprovalView {
  readonly state: string;
  /** The stage the reader acts on (open) or acted on (decided): also scopes the claim. */
  readonly stageId: string | null;
  readonly decidedBy: unknown;
  readonly decidedAt: string | null;
  /** A stage after the reader's (open or decided) one is still to come (Initializing) or open, and
   * none was denied or expired: the request waits for that stage's approvers after the reader's. */
  readonly laterStage: boolean;
  /** The stages approved before the reader's open one, in order (empty when none is open). */
  readonly decidedBefore: readonly DecidedStage[];
  /** The stages approved before the reader's decided one, or before the stage that denied or
   * expired the request, in order (only when some is): a lost approval of one is not proven, nor
   * refuted, by another stage's reviewedBy. */
  readonly approvedBefore?: readonly DecidedStage[];
  /** Present (true) when the reader's stage is approved and a later stage that has not started
   * (Initializing) is assigned to the reader too (`assignedToMe`): that stage may ask them again.
   * Only "may": who a stage asks is Entra's to decide when it starts (its approvers, fallback and
   * alternate approvers), and any one of them may decide it first. */
  readonly askedAgainLater?: true;
}

/** A stage approved before the reader's open one: who approved it (object id) and when. */
export interface DecidedStage {
  readonly stageId: string;
  readonly byId: string | null;
  readonly byName: string | null;
  readonly at: string | null;
}

type Obj = Readonly<Record<string, unknown>>;
const eq = (v: unknown, s: string): boolean => typeof v === 'string' && v.toLowerCase() === s.toLowerCase();
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The reader's view of an approval read from Graph (`field` names its stages). */
export function approvalViewOf(item: Obj, field: 'stages' | 'steps'): ApprovalView {
  const raw = item[field];
  const stages: Obj[] = Array.isArray(raw) ? raw.filter((s): s is Obj => s !== null && typeof s === 'object') : [];
  const mine = stages.filter((s) => s.assignedToMe === true);
  const view = (state: string, s: Obj | null): ApprovalView => ({
    state,
    stageId: s ? text(s.id) : null,
    decidedBy: s?.reviewedBy ?? null,
    decidedAt: s ? text(s.reviewedDateTime) : null,
    laterStage: false,
    decidedBefore: [],
  });
  // Stages come in order; one after the reader's that is not finished waits for the reader's.
  const laterThan = (s: Obj) =>
    stages.slice(stages.indexOf(s) + 1).some((t) => !eq(t.status, 'Completed') && !eq(t.status, 'Expired'));
  const open = mine.find((s) => eq(s.status, 'InProgress'));
  if (open) {
    // Who approved each earlier stage (v1.0 reviewedBy is an identity, beta a list of them): a
    // click may decide the open stage only from a card that showed the reader's own earlier decisions.
    const decidedBefore = approvedBeforeOf(stages, open);
    return {
      ...view(APPROVAL_STATES.open, open),
      decidedBy: null,
      decidedAt: null,
      laterStage: laterThan(open),
      decidedBefore,
    };
  }
  // A denial or an expiry at any stage settles the request, whoever's stage it was: it reads as
  // such to every reader, an approver of an earlier stage too.
  // The stages approved before it are listed as for a decided stage of the reader's: a lost
  // approval of one of them is judged by that stage's reviewer, not by the later denial's.
  const settled = stages.find((s) => eq(s.reviewResult, 'Denied') || eq(s.status, 'Expired'));
  if (settled) {
    const before = approvedBeforeOf(stages, settled);
    return { ...view(finishedState(settled), settled), ...(before.length > 0 ? { approvedBefore: before } : {}) };
  }
  // The reader's latest decided stage: by them or by another approver of that stage. A later stage
  // may still wait: then the request is not settled, though the reader's part is.
  const finished = [...mine].reverse().find((s) => eq(s.status, 'Completed'));
  if (finished) {
    const state = finishedState(finished);
    const before = approvedBeforeOf(stages, finished);
    const again =
      state === APPROVAL_STATES.approved &&
      stages.slice(stages.indexOf(finished) + 1).some((t) => t.assignedToMe === true && eq(t.status, 'Initializing'));
    return {
      ...view(state, finished),
      laterStage: state !== APPROVAL_STATES.closed && laterThan(finished),
      ...(before.length > 0 ? { approvedBefore: before } : {}),
      ...(again ? { askedAgainLater: true as const } : {}),
    };
  }
  // Not the reader's stage: the request is settled when every stage was approved (the last one
  // decides how it reads).
  const last = stages.at(-1);
  if (last && stages.every((s) => eq(s.status, 'Completed'))) return view(finishedState(last), last);
  if (mine.length > 0) return view(APPROVAL_STATES.later, null);
  return view(APPROVAL_STATES.notMine, null);
}

/** The stages before `s` approved, with who approved each (v1.0 reviewedBy is an identity, beta a
 * list of them) and when. */
function approvedBeforeOf(stages: readonly Obj[], s: Obj): DecidedStage[] {
  return stages
    .slice(0, stages.indexOf(s))
    .filter((t) => eq(t.status, 'Completed') && eq(t.reviewResult, 'Approved') && text(t.id) !== null)
    .map((t) => ({
      stageId: text(t.id) ?? '',
      byId: personIdAt(t, 'reviewedBy'),
      byName: personAt(t, 'reviewedBy'),
      at: text(t.reviewedDateTime),
    }));
}

function finishedState(s: Obj): string {
  if (eq(s.status, 'Expired')) return APPROVAL_STATES.expired;
  if (eq(s.reviewResult, 'Denied')) return APPROVAL_STATES.denied;
  // Never read as approved: no one approved it.
  if (eq(s.reviewResult, 'NotReviewed')) return APPROVAL_STATES.closed;
  return APPROVAL_STATES.approved;
}
