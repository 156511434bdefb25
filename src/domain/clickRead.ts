// A click's first step: Graph's state of its target, read as the clicker within the click's
// deadline. Either there is nothing to write (the answer the clicker sees), or the item is
// actionable and its claim key is known (an approval's claim is scoped by the stage the read names).

import { claimKey, claimScope, graphStateOutcome } from './clickOutcomes';
import type { ClaimHolders } from './claimHolders';
import type { ClaimView } from './cardActionPorts';
import { Clock, beforeDeadline } from './clock';
import { Click, ClickOutcome } from './click';
import { DomainError, GraphEvidence, InvalidStateError, NotFoundError, NotSentError } from './errors';
import type { GovernanceService, StateRead } from './governance';
import { NEXT_STAGE } from './laterStage';
import { CATALOG, stateIn } from './operations';

export type ClickRead =
  | { readonly kind: 'answer'; readonly outcome: ClickOutcome }
  | {
      readonly kind: 'actionable';
      readonly key: string;
      readonly item: Readonly<Record<string, unknown>> | undefined;
      /** Graph's answer to the read (its refusal's, when it refused), for the audit line of a click
       * that then writes nothing (contract §6). */
      readonly graph: GraphEvidence;
    };

export interface ClickReadDeps {
  readonly governance: GovernanceService;
  readonly clock: Clock;
  readonly holders: ClaimHolders<unknown>;
  /** Records the click's refusal (its audit line). */
  readonly refuse: (error: DomainError) => void;
  /** The answer a settled claim gives (audited as already done). */
  readonly fromClaim: (record: ClaimView, stageId?: string) => ClickOutcome;
}

/** Graph's state before acting: an outcome when there is nothing to write, else `actionable`.
 * `heldKey`: the claim this click holds already (a read again after taking it), whose outcome is
 * never waited for: only this click could give it. */
export async function readBeforeActing(
  deps: ClickReadDeps,
  click: Click,
  deadlineAt: number,
  heldKey?: string,
): Promise<ClickRead> {
  const spec = CATALOG[click.target.operation];
  const answered = await beforeDeadline(
    deps.clock,
    deadlineAt,
    // The read is cut when the click must answer: it tells nothing after that.
    deps.governance.currentState(click.target, click.actor, deadlineAt - deps.clock.now(), click.answers),
  );
  if (!answered.inTime) {
    // Nothing was sent: worded as such, never as a write whose outcome is unknown.
    const error = new NotSentError(
      `Microsoft Graph did not answer in time when the bot read the ${spec.noun} before acting, so nothing was sent.`,
    );
    deps.refuse(error);
    return { kind: 'answer', outcome: { kind: 'failed', error } };
  }
  const read: StateRead | DomainError = answered.value;
  // Graph's 404 is this reader's view: the item may be gone, hidden from this reader, or too new
  // to be readable everywhere yet. The clicker is told; the card stays as it is for the others.
  if (read instanceof NotFoundError) {
    deps.refuse(read);
    const text = `Microsoft Graph shows you no such ${spec.noun}: it no longer exists, or you cannot see it. Nothing was changed.`;
    return { kind: 'answer', outcome: { kind: 'notYours', text } };
  }
  // A read that failed otherwise (no read permission, say) does not stop the write: Graph's
  // answer to the write is the authority then.
  if (read instanceof DomainError || !read.state || stateIn(read.state, spec.allowedStates)) {
    const item = read instanceof DomainError ? undefined : read.item;
    return { kind: 'actionable', key: claimKey(click.target, item), item, graph: read.graph };
  }
  // Not this reader's to decide (someone else's stage): they are told, the others keep the buttons.
  const notYours = spec.read.notForReader?.[read.state];
  if (notYours !== undefined) {
    deps.refuse(new InvalidStateError('Not for this reader.', read.state, read.graph));
    return { kind: 'answer', outcome: { kind: 'notYours', text: notYours } };
  }
  // Graph may already show a click's write whose claim is still being completed on another
  // instance: wait for that holder's outcome (within this click's deadline) so every clicker
  // sees who did it, not a bare state.
  const doneKey = claimKey(click.target, read.item);
  const justDone = doneKey === heldKey ? null : await deps.holders.waitFor(doneKey, deadlineAt);
  const openWhile = spec.read.openWhile;
  const stillOpen = openWhile !== undefined && read.item?.[openWhile] === true;
  // A claim of a decision that left the item open (an earlier stage) is stale once it is not.
  const stale = justDone?.outcome?.final === false && !stillOpen;
  if (justDone?.state === 'done' && !stale)
    return { kind: 'answer', outcome: deps.fromClaim(justDone, claimScope(click.target, read.item)) };
  deps.refuse(new InvalidStateError('Not actionable.', read.state, read.graph));
  const shown = graphStateOutcome(click.target, read.state, read.item, click.actor.aadObjectId);
  // The reader's part is finished, the item still waits for others (a later stage): the reader is
  // told, the buttons stay for the others.
  if (stillOpen && shown.kind === 'settled') {
    return { kind: 'answer', outcome: { kind: 'notYours', text: `${shown.text} ${NEXT_STAGE}` } };
  }
  return { kind: 'answer', outcome: shown };
}

/** A click that lost its claim meanwhile: Graph's state (read by the click's answer) is the only
 * thing it may show. */
export async function superseded(
  governance: GovernanceService,
  clock: Clock,
  click: Click,
  deadlineAt: number,
): Promise<ClickOutcome> {
  const reading = governance.currentState(click.target, click.actor, deadlineAt - clock.now(), click.answers);
  const read = await beforeDeadline(clock, deadlineAt, reading);
  const value = read.inTime && !(read.value instanceof DomainError) ? read.value : null;
  const shown = value?.state ? graphStateOutcome(click.target, value.state, value.item, click.actor.aadObjectId) : null;
  return {
    kind: 'superseded',
    text: shown?.kind === 'settled' ? shown.text : 'Another click acted on this meanwhile.',
    style: shown?.kind === 'settled' ? shown.style : 'warning',
  };
}
