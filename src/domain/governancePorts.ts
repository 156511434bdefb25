// What the governance service works with, apart from the service itself: the port to Graph (a
// write, the reads that go with it), the actor whose delegated token every call uses, the outcome
// of one operation and the audit line it leaves. The graph layer implements GraphPort; governance.ts
// re-exports these names, so its callers import them from there as before.

import { DomainError, GraphEvidence } from './errors';
import { Cloud, OperationName, Target } from './operations';
import type { GraphCall, RequestNames } from './lastAnswer';
import type { EndedSince } from './laterStage';

/** Resolves the signed-in user's delegated Graph token (never an app-only token). */
export type AccessTokenSource = () => Promise<string>;

export interface StateRead {
  /** The item's state (the catalog's stateField), or null when the item has none. */
  readonly state: string | null;
  /** The item as Graph returned it, for the catalog's decidedAt/decidedBy fields. */
  readonly item?: Readonly<Record<string, unknown>>;
  readonly graph: GraphEvidence;
}

/** What the domain needs from Graph. Implementations translate every failure into a DomainError. */
export interface GraphPort {
  /** One logical write (the implementation may retry 429s, sharing one client-request-id), its
   * read before and its retries within `call.budgetMs` when given (what is left of a re-send's
   * budget, or of the operation's one deadline); none left after that read, it is not sent
   * (NotSentError). Every answer Graph gives it, the read's too, is noted in `call.answers`. */
  write(target: Target, token: AccessTokenSource, call?: GraphCall): Promise<GraphEvidence>;
  /** GET the item to learn its current state, as the user is entitled to read it; within
   * `call.budgetMs` when given, its answers noted in `call.answers`. */
  readState(target: Target, token: AccessTokenSource, call?: GraphCall): Promise<StateRead>;
  /**
   * The self-service read alone (filterByCurrentUser): the item when it is the user's own, null
   * when it is not, undefined when that is not known (the operation has no self-service read, or
   * the read stopped at its page limit before finding it). Optional.
   */
  readOwn?(target: Target, token: AccessTokenSource, call?: GraphCall): Promise<StateRead | null | undefined>;
}

export interface Actor {
  readonly aadObjectId: string;
  readonly getToken: AccessTokenSource;
}

export interface AuditLine {
  readonly event: 'governance.action';
  readonly operation: OperationName;
  readonly targetId: string;
  readonly targetIds: readonly string[];
  readonly userId: string;
  /** The decision asked for (completed|failed; later approve|deny); null for a cancel. */
  readonly decision: string | null;
  readonly outcome: 'succeeded' | 'failed';
  readonly errorCode: string | null;
  readonly graphStatus: number | null;
  readonly graphRequestId: string | null;
  readonly graphErrorCode: string | null;
  readonly correlationId: string;
  readonly cloud: Cloud;
  readonly durationMs: number;
  readonly [extra: string]: unknown;
}

export type AuditSink = (line: AuditLine) => void;

export type Outcome =
  | {
      readonly ok: true;
      readonly target: Target;
      readonly graph: GraphEvidence;
      readonly correlationId: string;
      /** The write was not confirmed by its answer but a later read showed it took effect. */
      readonly confirmedByRead: boolean;
      /** An approval of a stage that the read before showed a later stage after: the request now
       * waits for that stage's approvers (laterStage.ts NEXT_STAGE). */
      readonly leavesOpen?: true;
      /** What the request decided is about, when the read before the decision told it. */
      readonly about?: RequestNames;
      /** A write whose answer was lost, confirmed by a read showing its stage approved by the
       * actor and a later stage that has since ended the request (laterStage.ts EndedSince). */
      readonly endedSince?: EndedSince;
    }
  | {
      readonly ok: false;
      readonly target: Target;
      readonly error: DomainError;
      readonly correlationId: string;
      readonly about?: RequestNames;
    };
