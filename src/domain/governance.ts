// The governance service: one place that decides how an operation is performed. Cloud gating,
// the read-before-resend rule after a 5xx or timeout, learning the current state when Graph
// refuses it, and exactly one audit line per attempt. An operation may have one deadline (a click's,
// a command's) that all its Graph calls share. It knows neither botbuilder nor Graph's SDK.

import {
  BadInputError,
  DecidedElsewhereError,
  DomainError,
  GraphEvidence,
  InvalidStateError,
  NO_TIME_TO_SEND,
  NotAvailableInCloudError,
  NotSentError,
  RefusedByGraphError,
  UpstreamError,
  isDomainError,
} from './errors';
import { CATALOG, CLOUD_NAMES, Cloud, OperationName, OperationSpec, Target, decisionOf } from './operations';
import { RightsRefusedError } from './rights';
import { decidedElsewhere } from './decidedElsewhere';
import { withNamedStage } from './namedStage';
import { auditLineOf } from './auditLine';
import { finishedOtherwise, hasTime, recoverAfterUncertainWrite } from './uncertainWrite';
import { GraphCall, LastAnswer } from './lastAnswer';

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
   * when it is not, undefined when the operation has no self-service read. Optional.
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
    }
  | { readonly ok: false; readonly target: Target; readonly error: DomainError; readonly correlationId: string };

export interface GovernanceOptions {
  readonly cloud: Cloud;
  readonly graph: GraphPort;
  readonly audit: AuditSink;
  readonly newId: () => string;
  readonly now?: () => number;
  /** Waits before a re-send that Graph asked to hold back (tests pass a fake). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** A write's budget, its re-send after a read included (WRITE_BUDGET_MS by default). */
  readonly writeBudgetMs?: number;
}

export class GovernanceService {
  private readonly now: () => number;
  constructor(private readonly opts: GovernanceOptions) {
    this.now = opts.now ?? Date.now;
  }

  /**
   * Performs one operation as the actor. Never throws: the outcome carries the error. `budgetMs`:
   * the operation's one deadline (a click's, a command's), counted from now and shared by every
   * Graph call it makes; a call with no time left is not made, and nothing is sent after it.
   * `answers`: the command's log of Graph's answers (a click's, its read before included); the
   * audit line carries the last of them (contract §6).
   */
  async perform(
    target: Target,
    actor: Actor,
    extra: Record<string, unknown> = {},
    budgetMs?: number,
    answers: LastAnswer = new LastAnswer(),
  ): Promise<Outcome> {
    const correlationId = this.opts.newId();
    const started = this.now();
    const left = () => (budgetMs === undefined ? undefined : started + budgetMs - this.now());
    let outcome: Outcome;
    try {
      const { graph, confirmedByRead } = await this.run(target, actor, left, answers);
      outcome = { ok: true, target, graph, correlationId, confirmedByRead };
    } catch (e) {
      const error = isDomainError(e) ? e : new UpstreamError('The request could not be completed.');
      outcome = { ok: false, target, error, correlationId };
    }
    this.audit(outcome, actor, started, extra, answers);
    return outcome;
  }

  /** The item's current state as Graph tells it (within `budgetMs` when given), or why it could not
   * be read; its answers noted in `answers`, the log of the command it is part of (a click's). */
  async currentState(
    target: Target,
    actor: Actor,
    budgetMs?: number,
    answers?: LastAnswer,
  ): Promise<StateRead | DomainError> {
    try {
      if (!hasTime(budgetMs)) throw new UpstreamError('Microsoft Graph did not answer in time.');
      return await this.opts.graph.readState(target, actor.getToken, { budgetMs, answers });
    } catch (e) {
      return isDomainError(e) ? e : new UpstreamError('The item could not be read.');
    }
  }

  /**
   * Records an attempt the bot refused before Graph was called (for example a sign-in that could
   * not complete), so every attempt still leaves its audit line; `answers`, when the refusal came
   * after Graph calls of its command (a click's read), with Graph's last answer to them.
   */
  recordRefusal(
    target: Target,
    aadObjectId: string,
    error: DomainError,
    extra: Record<string, unknown> = {},
    answers?: LastAnswer,
  ): Outcome {
    const outcome: Outcome = { ok: false, target, error, correlationId: this.opts.newId() };
    this.audit(outcome, { aadObjectId, getToken: () => Promise.reject(error) }, this.now(), extra, answers);
    return outcome;
  }

  private async run(
    target: Target,
    actor: Actor,
    left: () => number | undefined,
    answers: LastAnswer,
  ): Promise<{ graph: GraphEvidence; confirmedByRead: boolean }> {
    const spec = CATALOG[target.operation];
    if (!decisionOf(target)) {
      // Parsers refuse this already; a target built elsewhere must still never guess a decision.
      throw new BadInputError(`${spec.title} needs a decision the catalog offers.`);
    }
    if (!spec.clouds.includes(this.opts.cloud)) {
      throw new NotAvailableInCloudError(
        `${spec.title} is not offered by Microsoft Graph in ${CLOUD_NAMES[this.opts.cloud]}.`,
        this.opts.cloud,
      );
    }
    // An approval's decision names its stage first, so a re-send after a lost answer sends that
    // stage again, never the approver's next one (namedStage.ts).
    // Its read refused as the write would be: an unknown route is this cloud's (below).
    const { target: named, graph: read } = await withNamedStage(this.opts.graph, target, actor.getToken, {
      budgetMs: left(),
      answers,
    }).catch((e: unknown) => {
      throw this.inThisCloud(e, spec);
    });
    // The reads before took the operation's time: nothing is sent, and the person is told so, and
    // the audit keeps Graph's last answer, the read's (contract §6).
    if (!hasTime(left())) throw new NotSentError(NO_TIME_TO_SEND, read);
    const startedAt = this.now();
    try {
      const graph = await this.opts.graph.write(named, actor.getToken, { budgetMs: left(), answers });
      return { graph, confirmedByRead: false };
    } catch (e) {
      // The courtesy reads below are made only with time left; the write's own answer stands else.
      if (e instanceof InvalidStateError && e.currentState === null) {
        throw hasTime(left()) ? await this.withCurrentState(e, target, actor, { budgetMs: left(), answers }) : e;
      }
      // A read before the write failed, or Graph refused the write (4xx): nothing was written,
      // so there is nothing to recover.
      if (e instanceof UpstreamError && !(e instanceof NotSentError) && !(e instanceof RefusedByGraphError)) {
        const { graph, sleep, writeBudgetMs } = this.opts;
        return recoverAfterUncertainWrite(
          { graph, now: this.now, sleep, writeBudgetMs, left, answers },
          e,
          named,
          actor,
          startedAt,
        );
      }
      if (e instanceof RightsRefusedError && spec.selfService && hasTime(left()))
        throw await this.withOwnership(e, target, actor, { budgetMs: left(), answers });
      throw this.inThisCloud(e, spec);
    }
  }

  /** The docs may list the call for this cloud while Graph here has no such route (§9, §13): the
   * gateway cannot tell which cloud it is in, so "not offered" names this one. Other errors as they are. */
  private inThisCloud(e: unknown, spec: OperationSpec): unknown {
    if (!(e instanceof NotAvailableInCloudError)) return e;
    const { cloud } = this.opts;
    const words = `${spec.title} is not offered by Microsoft Graph in ${CLOUD_NAMES[cloud]}.`;
    return new NotAvailableInCloudError(words, cloud, e.graph);
  }

  /**
   * Graph refused the rights: whether the item is among the user's own decides which way in
   * applied (self-service, or the admin permission and role), so the card can say what was missing.
   * Not among them is all the read tells: the item may be someone else's or may not exist.
   */
  private async withOwnership(
    e: RightsRefusedError,
    target: Target,
    actor: Actor,
    call: GraphCall,
  ): Promise<RightsRefusedError> {
    try {
      const own = await this.opts.graph.readOwn?.(target, actor.getToken, call);
      return own === undefined ? e : e.withOwnership(own !== null);
    } catch {
      // The read is a courtesy; the write's own answer stands.
      return e;
    }
  }

  /** Graph refused the state without naming it: a read tells the user where the item stands. */
  private async withCurrentState(
    e: InvalidStateError,
    target: Target,
    actor: Actor,
    call: GraphCall,
  ): Promise<InvalidStateError | DecidedElsewhereError> {
    const spec = CATALOG[target.operation];
    try {
      const read = await this.opts.graph.readState(target, actor.getToken, call);
      if (read.state && spec.read.decidedByField && finishedOtherwise(spec, read.state)) {
        // Graph says who decided (an approval stage's reviewer): tell the user, not just the state.
        return decidedElsewhere(
          `The ${spec.noun} is already ${read.state}.`,
          read,
          target,
          actor,
          e.graph,
          'afterRefusal',
        );
      }
      if (read.state) return new InvalidStateError(e.message, read.state, e.graph);
    } catch {
      // The read is a courtesy; the write's own answer stands.
    }
    return e;
  }

  private audit(
    outcome: Outcome,
    actor: Actor,
    started: number,
    extra: Record<string, unknown>,
    answers: LastAnswer | undefined,
  ): void {
    // Graph's last answer in the command (a read after a lost write, a re-send's), null when none came.
    const last = answers?.last() ?? null;
    this.opts.audit(auditLineOf(outcome, actor.aadObjectId, this.opts.cloud, this.now() - started, extra, last));
  }
}
