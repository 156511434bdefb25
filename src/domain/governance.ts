// The governance service: one place that decides how an operation is performed. Cloud gating,
// the read-before-resend rule after a 5xx or timeout, learning the current state when Graph
// refuses it (refusedWrite.ts), and exactly one audit line per attempt. An operation may have one
// deadline (a click's, a command's) that all its Graph calls share. It knows neither botbuilder nor
// Graph's SDK; what it works with (the Graph port, the actor, the outcome) is in governancePorts.ts.

import {
  BadInputError,
  DomainError,
  GraphEvidence,
  InvalidStateError,
  NO_TIME_TO_SEND,
  STOPPED_BEFORE_SEND,
  NotAvailableInCloudError,
  NotSentError,
  RefusedByGraphError,
  UpstreamError,
  isDomainError,
} from './errors';
import { CATALOG, CLOUD_NAMES, Cloud, Target, decisionOf } from './operations';
import { RightsRefusedError } from './rights';
import { SentBeforeOwnStageError, withNamedStage } from './namedStage';
import { auditLineOf } from './auditLine';
import { hasTime, recoverAfterUncertainWrite } from './uncertainWrite';
import { LastAnswer } from './lastAnswer';
import type { EndedSince } from './laterStage';
import { Attempts } from './attempts';
import { inThisCloud, withCurrentState, withOwnership } from './refusedWrite';
import type { Actor, AuditSink, GraphPort, Outcome, StateRead } from './governancePorts';

export type { AccessTokenSource, Actor, AuditLine, AuditSink, GraphPort, Outcome, StateRead } from './governancePorts';

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

/** How an attempt is kept: the command's correlation id when it has one already (a command that
 * waited for sign-in after Graph refused its token keeps the id of that first attempt), and
 * `holdLine`, true for an outcome after which the command has not ended (it waits for sign-in):
 * its one line is written when it ends (contract §6), not now. */
export interface PerformHow {
  readonly correlationId?: string;
  readonly holdLine?: (outcome: Outcome) => boolean;
  /** Asked synchronously just before the write is sent: false when it must not be (the instance
   * gave the turn up at shutdown, so a redelivery runs it elsewhere); nothing is sent then. */
  readonly mayWrite?: () => boolean;
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
   * audit line carries the last of them (contract §6). `how`: PerformHow.
   */
  async perform(
    target: Target,
    actor: Actor,
    extra: Record<string, unknown> = {},
    budgetMs?: number,
    answers: LastAnswer = new LastAnswer(),
    how: PerformHow = {},
  ): Promise<Outcome> {
    const correlationId = how.correlationId ?? this.opts.newId();
    const started = this.now();
    const left = () => (budgetMs === undefined ? undefined : started + budgetMs - this.now());
    let outcome: Outcome;
    // What the request is about, when a read of it told (the read before a decision).
    const about = () => {
      const names = answers.request();
      return names ? { about: names } : {};
    };
    try {
      const { graph, confirmedByRead, leavesOpen, endedSince } = await this.run(target, actor, left, answers, how);
      const open = leavesOpen ? { leavesOpen } : {};
      const ended = endedSince ? { endedSince } : {};
      outcome = { ok: true, target, graph, correlationId, confirmedByRead, ...open, ...ended, ...about() };
    } catch (e) {
      const error = isDomainError(e) ? e : new UpstreamError('The request could not be completed.');
      outcome = { ok: false, target, error, correlationId, ...about() };
    }
    if (!how.holdLine?.(outcome)) this.audit(outcome, actor, started, extra, answers);
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
   * after Graph calls of its command (a click's read), with Graph's last answer to them;
   * `correlationId`, the command's when it has one already (PerformHow).
   */
  recordRefusal(
    target: Target,
    aadObjectId: string,
    error: DomainError,
    extra: Record<string, unknown> = {},
    answers?: LastAnswer,
    correlationId: string = this.opts.newId(),
  ): Outcome {
    const outcome: Outcome = { ok: false, target, error, correlationId };
    this.audit(outcome, { aadObjectId, getToken: () => Promise.reject(error) }, this.now(), extra, answers);
    return outcome;
  }

  private async run(
    target: Target,
    actor: Actor,
    left: () => number | undefined,
    answers: LastAnswer,
    how: PerformHow,
  ): Promise<{ graph: GraphEvidence; confirmedByRead: boolean; leavesOpen?: true; endedSince?: EndedSince }> {
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
    const {
      target: named,
      graph: read,
      laterStage,
    } = await withNamedStage(
      this.opts.graph,
      target,
      actor.getToken,
      { budgetMs: left(), answers },
      actor.aadObjectId,
    ).catch((e: unknown) => {
      throw inThisCloud(e, spec, this.opts.cloud);
    });
    // The reads before took the operation's time: nothing is sent, and the person is told so, and
    // the audit keeps Graph's last answer, the read's (contract §6).
    if (!hasTime(left())) throw new NotSentError(NO_TIME_TO_SEND, read);
    if (how.mayWrite?.() === false) throw new NotSentError(STOPPED_BEFORE_SEND, read);
    const startedAt = this.now();
    // The write's attempts, its re-send's after a read included: at most 5 in all (attempts.ts).
    const attempts = new Attempts();
    try {
      const sender = target.typedAt !== undefined ? { sender: actor.aadObjectId } : {};
      const graph = await this.opts.graph.write(named, actor.getToken, {
        budgetMs: left(),
        answers,
        attempts,
        ...sender,
      });
      // An approval with a later stage still to come leaves the request to that stage's approvers.
      const leavesOpen = laterStage === true && decisionOf(target)?.mayLeaveOpen === true;
      return { graph, confirmedByRead: false, ...(leavesOpen ? { leavesOpen } : {}) };
    } catch (e) {
      // The courtesy reads below are made only with time left; the write's own answer stands else.
      // A typed decision the write's own read refused unsent (SentBeforeOwnStageError) is its answer.
      if (e instanceof InvalidStateError && e.currentState === null && !(e instanceof SentBeforeOwnStageError)) {
        throw hasTime(left())
          ? await withCurrentState(this.opts.graph, e, named, actor, { budgetMs: left(), answers })
          : e;
      }
      // A read before the write failed, or Graph refused the write (4xx): nothing was written,
      // so there is nothing to recover.
      if (e instanceof UpstreamError && !(e instanceof NotSentError) && !(e instanceof RefusedByGraphError)) {
        const { graph, sleep, writeBudgetMs } = this.opts;
        return recoverAfterUncertainWrite(
          { graph, now: this.now, sleep, writeBudgetMs, left, answers, attempts },
          e,
          named,
          actor,
          startedAt,
        );
      }
      if (e instanceof RightsRefusedError && spec.selfService && hasTime(left()))
        throw await withOwnership(this.opts.graph, e, target, actor, { budgetMs: left(), answers });
      throw inThisCloud(e, spec, this.opts.cloud);
    }
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
