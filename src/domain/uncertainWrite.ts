// After a write whose answer leaves its outcome unknown (a 5xx or no answer): read first, never
// re-send blindly; at most one re-send, and a last read after it. Every call here shares what is
// left of the operation's time (a click's or a command's one deadline, when it has one): a call
// that has no time left is not made, and the first write's unknown outcome is what is told.

import {
  DecidedElsewhereError,
  DomainError,
  InvalidStateError,
  NotSentError,
  RefusedByGraphError,
  UpstreamError,
} from './errors';
import type { Actor, GraphPort, StateRead } from './governancePorts';
import { CATALOG, OperationSpec, Target, decisionOf, stateIn } from './operations';
import { provenByRead, writtenStageRead, writtenStageTaken } from './namedStage';
import { decidedElsewhere } from './decidedElsewhere';
import { EndedSince, endedSinceOf } from './laterStage';
import { WRITE_BUDGET_MS, holdBack, rethrowUncertain, uncertainThrottle } from './holdBack';
import type { GraphEvidence } from './errors';
import type { LastAnswer } from './lastAnswer';
import { LEAST_ATTEMPT_MS } from './attempts';
import type { Attempts } from './attempts';

export interface RecoveryDeps {
  readonly graph: GraphPort;
  readonly now: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** A write's budget, its re-send after a read included (WRITE_BUDGET_MS by default). */
  readonly writeBudgetMs?: number;
  /** What is left of the operation's one deadline, in ms; undefined when it has none. */
  readonly left: () => number | undefined;
  /** The command's log of Graph's answers, for its audit line (lastAnswer.ts). */
  readonly answers?: LastAnswer;
  /** The first write's attempts: the re-send makes only those left of the 5 (attempts.ts). */
  readonly attempts?: Attempts;
}

/**
 * Only a state that proves the requested decision is success (a resume asked as completed is not
 * proven by failed). Still actionable: one more write, and if that one goes unanswered or is
 * refused for the item's state, one more read (never a third write). Finished another way:
 * someone else decided, and the user is told what happened. Anything else: the write's error.
 */
export async function recoverAfterUncertainWrite(
  deps: RecoveryDeps,
  e: UpstreamError,
  target: Target,
  actor: Actor,
  startedAt: number,
): Promise<{ graph: GraphEvidence; confirmedByRead: boolean; endedSince?: EndedSince }> {
  const spec = CATALOG[target.operation];
  const { graph, now, left, answers, attempts } = deps;
  // No time left for the read: the write's outcome stays unknown, and nothing more is sent.
  if (!hasTime(left())) throw e;
  let read: StateRead;
  try {
    read = await graph.readState(target, actor.getToken, { budgetMs: left(), answers });
  } catch {
    throw e;
  }
  if (provenByRead(target, read, actor.aadObjectId)) return confirmedBy(target, read);
  const taken = takenByAnother(target, actor, read);
  if (taken) throw taken;
  if (stateIn(read.state, spec.allowedStates)) {
    // The re-send and its waits fit in the write's 30 s (contract §4), counted from its first send
    // (not from the read a decision makes before it), and in the operation's time.
    const from = attempts?.firstSentAt ?? startedAt;
    const opLeft = left();
    const writeMs = deps.writeBudgetMs ?? WRITE_BUDGET_MS;
    const budgetMs = opLeft === undefined ? writeMs : Math.min(writeMs, now() + opLeft - from);
    await holdBack(e, from, { now, budgetMs, sleep: deps.sleep }).catch(rethrowUncertain);
    // Too little left to be answered (a re-send cut at the deadline tells nothing more), or no
    // attempt left (the first write's sends took all 5): it is not sent, and the first write's
    // unknown outcome is what the person is told.
    const resendMs = from + budgetMs - now();
    if (resendMs < LEAST_ATTEMPT_MS || attempts?.spent === true) throw e;
    // A re-send that reads for its stage again (the first write named it from its own read) may
    // find the actor's next stage open because the first write landed: a stage they approved since
    // the command was typed, or since the first send, refuses it unsent (laterStage.ts
    // approvedSinceTyped), and the first write's unknown outcome is told.
    const resent: Target = { ...target, typedAt: target.typedAt ?? from };
    try {
      return {
        graph: await graph.write(resent, actor.getToken, {
          budgetMs: resendMs,
          answers,
          ...(attempts ? { attempts } : {}),
          // The read before a decision was made before the first send: what it tells cannot change.
          resend: true,
          sender: actor.aadObjectId,
        }),
        confirmedByRead: false,
      };
    } catch (again) {
      uncertainThrottle(again);
      // The one re-send went unanswered too, or Graph refused it because the item moved on
      // (the first write may have landed after the read): a last read decides, never a third write.
      // Refused for its own sake (its token, the rights, the item not found, a licence): only the
      // re-send is known to have done nothing; the first write went out and may still land, so its
      // unknown outcome is what the person is told (and its audit line's mayHaveTakenEffect).
      if (!(again instanceof UpstreamError) && !(again instanceof InvalidStateError))
        throw again instanceof DomainError && !(again instanceof DecidedElsewhereError) ? e : again;
      const last = hasTime(left())
        ? await graph.readState(target, actor.getToken, { budgetMs: left(), answers }).catch(() => null)
        : null;
      if (last && provenByRead(target, last, actor.aadObjectId)) return confirmedBy(target, last);
      const takenSince = last ? takenByAnother(target, actor, last) : null;
      if (takenSince) throw takenSince;
      // Refused for its state while the read still shows it open: the first write likely landed
      // and the read lags it, so its outcome is what is unknown, not "refused, nothing changed".
      if (again instanceof InvalidStateError && stateIn(last?.state, spec.allowedStates)) throw e;
      if (again instanceof InvalidStateError && again.currentState === null && last?.state) {
        throw new InvalidStateError(again.message, last.state, again.graph);
      }
      // The re-send was not sent (a read it made for its stage failed, or too little time was left
      // once its token came); the first write was, and its outcome is still unknown: that is what
      // the person is told, never "nothing was changed".
      if (again instanceof NotSentError) throw e;
      // Graph refused the re-send (a plain 4xx): only the re-send is known not to have acted;
      // the first write may still land, so its unknown outcome is what the person is told.
      if (again instanceof RefusedByGraphError) throw e;
      throw again;
    }
  }
  if (read.state && finishedOtherwise(spec, read.state)) {
    // Found as asked only when someone else decided it so (provenByRead): said as theirs.
    const same = decisionOf(target)?.provenBy.some((s) => stateIn(read.state, [s])) === true;
    const asked = same ? `by someone else` : `not what was asked (${target.decision ?? 'cancel'})`;
    throw decidedElsewhere(
      `The ${spec.noun} is ${read.state}, ${asked}.`,
      // Approved: by the stage written's own approver. Denied or expired since: by whoever ended it.
      same ? writtenStageRead(target, read) : read,
      target,
      actor,
      read.graph,
      'afterNoAnswer',
    ) satisfies DecidedElsewhereError;
  }
  throw e;
}

/**
 * The read shows the reader's next stage open and lists the stage written approved before it by
 * another approver: a stage is decided once (approvalstage-update), so that approver's decision
 * took effect, not this write, and nothing more is sent to it. Said as theirs, with the reader's
 * own stage now open. Null otherwise (a finished read is told by the state it shows, below).
 */
function takenByAnother(target: Target, actor: Actor, read: StateRead): DecidedElsewhereError | null {
  const spec = CATALOG[target.operation];
  const taken = stateIn(read.state, spec.allowedStates) ? writtenStageTaken(target, read, actor.aadObjectId) : null;
  if (!taken) return null;
  const message = `The ${spec.noun}'s stage written was approved by someone else.`;
  return decidedElsewhere(message, taken, target, actor, read.graph, 'afterNoAnswer', true);
}

/** A write the read proves took effect, with what ended the request since when it has (a later
 * stage that denied it: the actor's approval stands, the request is not granted). */
function confirmedBy(
  target: Target,
  read: StateRead,
): { graph: GraphEvidence; confirmedByRead: true; endedSince?: EndedSince } {
  const since = endedSinceOf(target, read);
  return { graph: read.graph, confirmedByRead: true, ...(since ? { endedSince: since } : {}) };
}

/** Time is left for one more call: no deadline, or some of it left. */
export function hasTime(left: number | undefined): boolean {
  return left === undefined || left > 0;
}

/** A finished state of the item (by this operation or by any of its decisions). */
export function finishedOtherwise(spec: OperationSpec, state: string): boolean {
  return stateIn(state, spec.doneStates) || spec.decisions.some((d) => stateIn(state, d.provenBy));
}
