// Words for an approval found finished in a state no decision makes: its stage expired (approvalStage
// status Expired, reviewedBy the all-zero id "if the assigned reviewer hasn't reviewed":
// https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0), or it
// closed unreviewed (the request was cancelled, say). Nobody decided it, so nobody is said to have
// decided first. Graph's state name is shown as Graph spells it. A pressed button says the same
// (domain/clickOutcomes.ts).

import { APPROVAL_STATES } from '../domain/catalog/approvalView';
import { noOnesDecision } from '../domain/decidedElsewhere';
import { DecidedElsewhereError } from '../domain/errors';
import { OperationSpec, stateIn } from '../domain/operations';
import type { Words } from './refusalWording';

/** The read found an approval ended in a state no decision makes (decidedElsewhere.ts). */
export function undecided(e: DecidedElsewhereError, spec: OperationSpec): boolean {
  return noOnesDecision(spec, e.currentState);
}

/** The words for it (`undecided`): it expired, or it ended, with nobody deciding it. */
export function endedUndecided(e: DecidedElsewhereError, spec: OperationSpec): Words {
  const state = e.currentState;
  const expired = stateIn(state, [APPROVAL_STATES.expired]);
  const ended = expired ? 'its time ran out with nobody deciding it' : 'it ended without anyone deciding it';
  const asked = e.requested ? `"${e.requested}"` : 'your decision';
  return {
    title: expired ? 'It expired without a decision' : 'It ended without a decision',
    what:
      e.learnt === 'afterRefusal'
        ? `Microsoft Graph refused: the ${spec.noun} is ${state} (${ended}), so ${asked} was not applied.`
        : `Microsoft Graph did not answer in time, and reading the ${spec.noun} shows it is ${state} (${ended}). Your decision was not applied.`,
    next: `Nothing more can be done here. If ${state} is wrong, check the ${spec.noun} in the Entra admin center.`,
  };
}
