// The answer when Graph shows the item finished by someone's decision: who decided and when, as
// Graph names them (an approval stage's reviewer), and whether that someone is the one asking (an
// approver deciding their stage again is not told that someone else decided first), and whether a
// later stage, not started, is assigned to them too (they are not told nothing more is needed), and
// whether any later stage waits at all (no "next stage" is named after a denial or a last stage).

import type { Actor, StateRead } from './governancePorts';
import { DecidedElsewhereError, GraphEvidence } from './errors';
import { personAt, personIdAt, textAt } from './itemFields';
import { askedAgainLater } from './laterStage';
import { APPROVAL_STATES } from './catalog/approvalView';
import { CATALOG, OperationSpec, Target, stateIn } from './operations';

export function decidedElsewhere(
  message: string,
  read: StateRead,
  target: Target,
  actor: Actor,
  graph: GraphEvidence | undefined,
  learnt: 'afterNoAnswer' | 'afterRefusal',
  ownStageOpen = false,
): DecidedElsewhereError {
  const spec = CATALOG[target.operation];
  const byId = personIdAt(read.item, spec.read.decidedByField);
  return new DecidedElsewhereError(
    message,
    read.state ?? 'finished',
    target.decision ?? null,
    personAt(read.item, spec.read.decidedByField),
    textAt(read.item, spec.read.decidedAtField),
    graph,
    learnt,
    byId !== null && byId.toLowerCase() === actor.aadObjectId.toLowerCase(),
    askedAgainLater(read.item),
    spec.read.openWhile !== undefined && read.item?.[spec.read.openWhile] === true,
    ownStageOpen,
  );
}

/** The read found an approval (an item whose decider Graph names) ended in a state no decision
 * makes: its stage expired, or closed unreviewed. Nobody decided it, so nobody is said to have. */
export function noOnesDecision(spec: OperationSpec, state: string): boolean {
  return (
    spec.read.decidedByField !== undefined &&
    stateIn(state, [APPROVAL_STATES.expired, APPROVAL_STATES.closed]) &&
    !spec.decisions.some((d) => stateIn(state, d.provenBy))
  );
}
