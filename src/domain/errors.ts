// Typed domain errors. Adapters translate foreign failures into these; the bot handler maps them
// to cards with an exhaustive switch, so a new code does not compile without its wording.

import type { SignInFailureReason } from './signInReasons';

export const ERROR_CODES = [
  'SIGN_IN_REQUIRED',
  'BAD_INPUT',
  'NOT_PERMITTED',
  'NOT_FOUND',
  'INVALID_STATE',
  'DECIDED_ELSEWHERE',
  'NOT_AVAILABLE_IN_CLOUD',
  'NOT_LICENSED',
  'THROTTLED',
  'UPSTREAM',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** What Graph said, when it said anything. */
export interface GraphEvidence {
  /** HTTP status of Graph's last answer; null when none came. */
  readonly status: number | null;
  /** Graph's `request-id` (response header or innerError), for support. */
  readonly requestId: string | null;
  /** Graph's own error code, when there was one. */
  readonly errorCode?: string | null;
  /** The `client-request-id` the bot sent with the call (its retries share it): logged with
   * Graph's request-id, timestamp and x-ms-ags-diagnostic, which a support case asks for
   * (https://learn.microsoft.com/graph/best-practices-concept#reliability-and-support). */
  readonly clientRequestId?: string | null;
  /** The `Date` header of Graph's last answer. */
  readonly date?: string | null;
  /** The `x-ms-ags-diagnostic` header of Graph's last answer. */
  readonly diagnostic?: string | null;
}

export const NO_GRAPH: GraphEvidence = Object.freeze({ status: null, requestId: null, errorCode: null });

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  readonly graph: GraphEvidence;
  constructor(message: string, graph: GraphEvidence = NO_GRAPH) {
    super(message);
    this.name = new.target.name;
    this.graph = graph;
  }
}

export type { AccountRefusal } from './signInReasons';
export class SignInRequiredError extends DomainError {
  readonly code = 'SIGN_IN_REQUIRED' as const;
  /** `reason`: why the sign-in failed, for the user's next step (signInReasons.ts).
   * `correlationId`: Entra's, when it gave one, or the bot's own for a state store failure (in its
   * error log line), for the administrator to look up. */
  constructor(
    message: string,
    readonly reason: SignInFailureReason = 'unknown',
    graph?: GraphEvidence,
    readonly correlationId: string | null = null,
  ) {
    super(message, graph);
  }
}

export class BadInputError extends DomainError {
  readonly code = 'BAD_INPUT' as const;
  constructor(
    message: string,
    readonly usage: string | null = null,
  ) {
    super(message);
  }
}

export class NotPermittedError extends DomainError {
  readonly code = 'NOT_PERMITTED' as const;
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND' as const;
}

/**
 * Graph refused the ids as a pair: the item is not under the parent the path names (a run of
 * another workflow, graph-reference §1). It may well exist, and still be running.
 */
export class NotInParentError extends NotFoundError {}

export class InvalidStateError extends DomainError {
  readonly code = 'INVALID_STATE' as const;
  constructor(
    message: string,
    /** The item's current state, when Graph's answer or a read told it. */
    readonly currentState: string | null,
    graph?: GraphEvidence,
  ) {
    super(message, graph);
  }
}

/**
 * A request Microsoft Graph cannot decide (a PIM role or group extension or renewal: "Approval for extend
 * and renew requests is currently not supported by the Microsoft Graph API",
 * https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow):
 * refused before the write, and decided in the Microsoft Entra admin center instead. Audited as
 * INVALID_STATE, the code of an item that, as it is, does not allow the action; worded as what it is.
 */
export class AdminCenterOnlyError extends InvalidStateError {
  constructor(
    /** The request's `action` that Graph cannot decide (selfExtend, selfRenew, adminExtend, adminRenew). */
    readonly requestAction: string,
    /** The request's status as read (it still waits for a decision). */
    currentState: string,
    graph?: GraphEvidence,
  ) {
    super(`A ${requestAction} request cannot be decided through Microsoft Graph.`, currentState, graph);
  }
}

/**
 * An approver's decision on their own request, refused before anything is sent: "Approvers aren't
 * able to approve their own role activation requests"
 * (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow).
 * Audited as NOT_PERMITTED, as Graph itself refuses it; worded as what it is.
 */
/**
 * A decision the approval's read shows is not the signer's to make now (no stage of theirs is
 * InProgress: the stage is another approver's, or theirs has not started): refused unsent, with
 * the catalog's words for that state (`read.notForReader`).
 */
export class NotForReaderError extends NotPermittedError {
  constructor(
    readonly told: string,
    /** The reader's state of the approval (APPROVAL_STATES: not assigned to them, or a later stage). */
    readonly state: string,
    graph?: GraphEvidence,
    /** False when Graph refused the read (403): whether the request still waits is not known. */
    readonly stateKnown: boolean = true,
  ) {
    super('Not for this reader.', graph);
  }
}

export class OwnRequestError extends NotPermittedError {
  constructor(graph?: GraphEvidence) {
    super('An approver cannot decide their own request.', graph);
  }
}

/**
 * The write went unanswered (timeout, 5xx) and a read then found the item finished, but not the
 * way the user asked: someone else decided it (a resume as failed while ours asked completed).
 */
export class DecidedElsewhereError extends DomainError {
  readonly code = 'DECIDED_ELSEWHERE' as const;
  constructor(
    message: string,
    /** The state the read found. */
    readonly currentState: string,
    /** What the user asked for: the decision name, or null for a cancel. */
    readonly requested: string | null,
    /** Who decided, when Graph's item says so. */
    readonly decidedBy: string | null,
    /** When it was decided, when Graph's item says so (ISO 8601). */
    readonly decidedAt: string | null,
    graph?: GraphEvidence,
    /** How it was learnt: a write left unanswered, or Graph refusing the write (409) outright. */
    readonly learnt: 'afterNoAnswer' | 'afterRefusal' = 'afterNoAnswer',
    /** The one who decided is the one asking (an approver deciding their stage again). */
    readonly byAsker = false,
    /** A later stage not started is the asker's too: it may ask again (approvalView.ts). */
    readonly askedAgainLater = false,
    /** A stage after the decided one is still to come or open (approvalView.ts laterStage). */
    readonly laterStageWaits = false,
    /** The asker's own later stage is open now: another approver decided the one they wrote. */
    readonly ownStageOpen = false,
  ) {
    super(message, graph);
  }
}

export class NotAvailableInCloudError extends DomainError {
  readonly code = 'NOT_AVAILABLE_IN_CLOUD' as const;
  constructor(
    message: string,
    readonly cloud: string,
    graph?: GraphEvidence,
  ) {
    super(message, graph);
  }
}

/**
 * Graph refused for a licence the tenant lacks (403 with a licence code, such as entitlement
 * management's NoLicense, graph-reference §10.1; "might not have a required license",
 * https://learn.microsoft.com/graph/errors): no permission or role the user gets will help, only an
 * administrator who licenses the tenant.
 */
export class NotLicensedError extends DomainError {
  readonly code = 'NOT_LICENSED' as const;
}

export class ThrottledError extends DomainError {
  readonly code = 'THROTTLED' as const;
  constructor(
    message: string,
    /** Seconds Graph last asked us to wait. */
    readonly retryAfterSeconds: number,
    graph?: GraphEvidence,
    /** Throttled on the way to the one re-send after a write that got no answer it could rely on
     * (a 5xx, a timeout): that first write may still have taken effect, so "nothing was changed"
     * is not known. */
    readonly afterUnansweredWrite = false,
  ) {
    super(message, graph);
  }
}

export class UpstreamError extends DomainError {
  readonly code = 'UPSTREAM' as const;
  constructor(
    message: string,
    graph?: GraphEvidence,
    /** When Graph's answer (a 503's Retry-After) asked to be called again, on the caller's clock
     * (epoch ms); null when it did not. A re-send after a read waits for it. */
    readonly retryAt: number | null = null,
  ) {
    super(message, graph);
  }
}

/**
 * A read the bot makes just before a write failed (a 5xx, no answer), so the write was never sent:
 * audited as UPSTREAM, but never taken for a write whose answer was lost (no read-and-re-send
 * follows) and worded as what it is, nothing sent.
 */
export class NotSentError extends UpstreamError {}

/** The read just before a write (`read` says which) failed with a 5xx or went unanswered: the
 * write was not sent, and the person is told so, never "may or may not have taken effect". */
export function notSentAfterRead(e: UpstreamError, read: string): NotSentError {
  if (e instanceof NotSentError) return e;
  const answered = e.graph.status === null ? 'did not answer' : `failed (HTTP ${e.graph.status})`;
  return new NotSentError(
    `Microsoft Graph ${answered} when the bot read ${read}, so your decision was not sent.`,
    e.graph,
  );
}

/** A write whose operation's one deadline (a click's, a command's) ran out before it could be sent. */
export const STOPPED_BEFORE_SEND =
  'Governance Bot was restarting before it sent this to Microsoft Graph, so nothing was sent. If no other answer follows, send the command again.';

export const NO_TIME_TO_SEND =
  'Microsoft Graph answered too slowly: too little of the time for this action was left to send it, so nothing was sent.';

/**
 * Graph answered the write with a client error (4xx) that has no meaning of its own here (405,
 * 408, 412, 413, 415, 422, ...): it refused the request, so nothing changed. Audited as UPSTREAM,
 * but never taken for a write whose answer was lost: no read-and-re-send of a request Graph
 * refused follows, and the person is not told to check whether it took effect.
 * https://learn.microsoft.com/graph/errors#http-status-codes
 */
export class RefusedByGraphError extends UpstreamError {}

/** Graph answered 501, a feature it does not offer for this item or cloud (its errors page,
 * https://learn.microsoft.com/graph/errors): the call did not act, so it is refused plainly, never
 * taken for a write whose outcome is unknown (no read-and-re-send). */
export class UnsupportedByGraphError extends RefusedByGraphError {}

/** Graph refused (a 4xx with no meaning of its own, or 501) the read that names the approval stage
 * a decision is for: without the stage no decision can be formed, so none was sent, and sending it
 * again will not mend a refusal. `status` is Graph's answer. */
export class StageReadRefusedError extends RefusedByGraphError {}

/** A click whose time ran out before anything was sent to Graph (signing in took it): audited as
 * UPSTREAM, but worded as what it is: nothing sent, press again. */
export class OutOfTimeError extends UpstreamError {
  constructor() {
    super(
      'This click ran out of time before anything was sent to Microsoft Graph (signing you in took too long). Nothing was changed.',
    );
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
