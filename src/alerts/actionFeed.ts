// Every governance action taken through the bot (from chat or a card, anywhere) becomes an alert
// for the channels subscribed to "actions taken": who did what to which item (names when known, and
// the ids), the outcome, the Graph request-id and the time. Failed and refused attempts are
// announced too, marked as such. Pure: the handler builds a FinishedAction after each attempt and
// the fan-out posts the card this module renders.

import type { ErrorCode } from '../domain/errors';
import type { DecisionName } from '../domain/catalog/types';
import { noOnesDecision } from '../domain/decidedElsewhere';
import { CATALOG, OperationName, decisionOf, parentNounOf } from '../domain/operations';
import type { AdaptiveCardAttachment, Fact } from '../cards/render';
import { AlertCardData, CardStyle, renderAlertCard, summaryLine } from './cards';
import { CATEGORIES } from './categories';

/** succeeded: Graph accepted the write. failed: throttled, or Graph failed, refused the call or did
 * not answer (mayHaveTakenEffect tells whether it may have happened). refused: it was not allowed
 * (permission, the item's state, the cloud, the input, no such item). */
export type ActionOutcome = 'succeeded' | 'failed' | 'refused';

export interface FinishedAction {
  /** Unique per attempt (the turn's correlation id): the alert's event id derives from it. */
  readonly actionId: string;
  readonly operation: OperationName;
  readonly ids: Readonly<Record<string, string>>;
  /** The decision asked for, for operations that have named decisions (resume: completed/failed). */
  readonly decision?: DecisionName;
  /** Names of the item and the people or things it concerns, by label ("Role": "Global Reader"). */
  readonly itemNames?: Readonly<Record<string, string>>;
  readonly actor: { readonly name: string; readonly id: string };
  readonly outcome: ActionOutcome;
  readonly errorCode?: ErrorCode | null;
  /** The state a read found the item in (the audit line's foundState, DECIDED_ELSEWHERE). */
  readonly foundState?: string;
  /** DECIDED_ELSEWHERE: Graph's read names who decided (the audit line's decidedBy). */
  readonly deciderNamed?: true;
  /** DECIDED_ELSEWHERE: the one Graph names is the one acting (the audit line's decidedByAsker). */
  readonly decidedByActor?: true;
  /** NOT_FOUND for ids Graph refused as a pair: the item is not under the parent named (it may exist). */
  readonly notInParent?: true;
  /** A failed write whose answer was lost (the audit line's mayHaveTakenEffect): it may or may not
   * have taken effect. Without it a failure changed nothing (refused by Graph, never sent). */
  readonly mayHaveTakenEffect?: true;
  readonly graphRequestId?: string | null;
  /** Epoch ms when the attempt finished. */
  readonly at: number;
  readonly via: 'chat' | 'card';
}

/** The outcome an error code stands for in the feed. Exhaustive over the codes. */
export function outcomeOfError(code: ErrorCode): ActionOutcome {
  switch (code) {
    case 'THROTTLED':
    case 'UPSTREAM':
      return 'failed';
    case 'SIGN_IN_REQUIRED':
    case 'BAD_INPUT':
    case 'NOT_PERMITTED':
    case 'NOT_FOUND':
    case 'INVALID_STATE':
    case 'NOT_AVAILABLE_IN_CLOUD':
    case 'NOT_LICENSED':
    case 'DECIDED_ELSEWHERE':
      return 'refused';
  }
}

/** The event id the alert is fanned out under: stable for one attempt, so fanning it out again
 * after a restart repeats nothing. Kept within the intake's event-id alphabet. */
export function actionEventId(action: Pick<FinishedAction, 'actionId'>): string {
  return `action:${action.actionId.replace(/[^A-Za-z0-9._:-]/g, '_')}`.slice(0, 128);
}

const DONE: Record<OperationName, string> = {
  cancelWorkflowRun: 'cancelled the workflow run',
  cancelRoleRequest: 'cancelled the role assignment request',
  cancelGroupRequest: 'cancelled the group assignment request',
  cancelAccessPackageRequest: 'cancelled the access package assignment request',
  resumeTask: 'resumed the custom task',
  decideRoleApproval: 'decided the PIM role request',
  decideGroupApproval: 'decided the PIM for Groups request',
  decideAccessPackageApproval: 'decided the access package request',
};

const TRIED: Record<OperationName, string> = {
  cancelWorkflowRun: 'tried to cancel the workflow run',
  cancelRoleRequest: 'tried to cancel the role assignment request',
  cancelGroupRequest: 'tried to cancel the group assignment request',
  cancelAccessPackageRequest: 'tried to cancel the access package assignment request',
  resumeTask: 'tried to resume the custom task',
  decideRoleApproval: 'tried to decide the PIM role request',
  decideGroupApproval: 'tried to decide the PIM for Groups request',
  decideAccessPackageApproval: 'tried to decide the access package request',
};

/** What an approval decision decides: one not made is named by the verb tried ("tried to approve
 * the PIM role request"), since "tried to decide … as approved" reads as approved. */
const DECIDES: Partial<Record<OperationName, string>> = {
  decideRoleApproval: 'the PIM role request',
  decideGroupApproval: 'the PIM for Groups request',
  decideAccessPackageApproval: 'the access package request',
};

const STATUS: Record<ActionOutcome, { words: string; style: CardStyle }> = {
  succeeded: { words: 'Succeeded', style: 'good' },
  failed: { words: 'Failed: nothing was changed', style: 'attention' },
  refused: { words: 'Refused: nothing was changed', style: 'warning' },
};

/** The status line, in the words the person's own answer used for the same outcome
 * (cards/wording.ts): only a write whose answer was lost may or may not have taken effect; one
 * Graph refused, never sent or throttled before it was sent changed nothing. */
function statusOf(action: FinishedAction): { words: string; style: CardStyle } {
  if (action.outcome === 'failed' && action.mayHaveTakenEffect)
    return { words: 'Failed: it may or may not have taken effect', style: 'attention' };
  return STATUS[action.outcome];
}

/** Why an attempt did not succeed, in a reader's words; the code itself stays on the card's small
 * last line, for administrators matching it to the audit log. Exhaustive over the codes. */
function whyWords(code: ErrorCode, action: FinishedAction): string {
  switch (code) {
    case 'SIGN_IN_REQUIRED':
      return 'Governance Bot could not act as them: they were not signed in, or their sign-in could not be used.';
    case 'BAD_INPUT':
      return 'The request was not valid (for example, a card too old to act on).';
    case 'NOT_PERMITTED':
      return 'They do not have the permission or role this needs.';
    case 'NOT_FOUND': {
      const spec = CATALOG[action.operation];
      const parent = parentNounOf(spec);
      // A run of another workflow exists and may still be running: not "no longer exists".
      return action.notInParent && parent
        ? `Microsoft Graph says the ${spec.noun} does not belong to the ${parent} named: the ids do not go together.`
        : 'The item was not found: it no longer exists, or they cannot see it.';
    }
    case 'INVALID_STATE':
      return 'The item, as it is now, does not allow this (it may already be decided, cancelled or ended).';
    case 'DECIDED_ELSEWHERE':
      // An approval that expired, or closed unreviewed: nobody decided it.
      if (action.foundState && noOnesDecision(CATALOG[action.operation], action.foundState))
        return `It had already ended as ${action.foundState}, with nobody deciding it.`;
      // An item that names no decider (a custom task's result, an approval stage without reviewedBy)
      // may have been finished by the same person earlier or by no one (the callout's timeout):
      // "someone else" only where Graph names one, and not the one acting.
      if (action.decidedByActor)
        return `They had already decided it themselves${action.foundState ? `, as ${action.foundState}` : ''}.`;
      if (!action.deciderNamed)
        return `It had already finished ${action.foundState ? `as ${action.foundState}` : 'another way'}; Microsoft Graph does not say who.`;
      return 'Someone else had already decided it.';
    case 'NOT_AVAILABLE_IN_CLOUD':
      return 'This is not available in this Microsoft cloud.';
    case 'NOT_LICENSED':
      return 'The organization does not have the licence this needs.';
    case 'THROTTLED':
      return action.mayHaveTakenEffect
        ? 'Microsoft Graph did not answer the first attempt in a way that can be relied on, then asked to slow down before it could be sent again.'
        : 'Microsoft Graph was too busy and asked to try again later.';
    case 'UPSTREAM':
      return action.mayHaveTakenEffect
        ? 'Microsoft Graph failed or did not answer in time: check the item before acting on it again.'
        : 'Microsoft Graph refused the call, or it could not be sent.';
  }
}

function stamp(at: number): string {
  return new Date(at).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

/** The card model for one finished action. */
function actionAlertData(action: FinishedAction): AlertCardData['alert'] {
  const spec = CATALOG[action.operation];
  const names = Object.entries(action.itemNames ?? {}).filter(([, v]) => v.trim() !== '');
  // The catalog's word for a named decision ("Approved", "Rejected"); cancels have none.
  const named_ = action.decision
    ? decisionOf({ operation: action.operation, ids: action.ids, decision: action.decision })
    : undefined;
  const decision = named_?.name ? ` as ${named_.doneWord.toLowerCase()}` : '';
  const decides = DECIDES[action.operation];
  const verb = named_?.command?.words[0];
  const what =
    action.outcome === 'succeeded'
      ? `${DONE[action.operation]}${decision}`
      : decides && verb
        ? `tried to ${verb} ${decides}`
        : `${TRIED[action.operation]}${decision}`;
  const named = names.length > 0 ? ` ${names.map(([, v]) => `"${v}"`).join(' for ')}` : '';
  const facts: Fact[] = [
    { title: 'By', value: action.actor.name || action.actor.id },
    ...names.map(([title, value]) => ({ title, value })),
    ...spec.idNames.map((n) => ({ title: n, value: action.ids[n] ?? '' })),
    { title: 'Outcome', value: action.outcome },
    ...(action.errorCode ? [{ title: 'Why', value: whyWords(action.errorCode, action) }] : []),
    { title: 'Graph request-id', value: action.graphRequestId || 'none (no Graph call answered)' },
    { title: 'When', value: stamp(action.at) },
    { title: 'From', value: action.via === 'card' ? 'a card button' : 'a chat command' },
  ];
  return {
    category: CATEGORIES.actions.name,
    title: `${action.actor.name || 'Someone'} ${what}${named}`,
    text: spec.title,
    facts,
    status: statusOf(action).words,
    statusStyle: statusOf(action).style,
    footer: `Action ${action.actionId}${action.errorCode ? ` · code ${action.errorCode}` : ''}`,
    actions: [],
  };
}

/** The rendered alert and its one-line summary (notification text in the Teams activity feed). */
export function actionAlertCard(action: FinishedAction): { attachment: AdaptiveCardAttachment; summary: string } {
  const data = actionAlertData(action);
  const summary = summaryLine(`${data.title} (${action.outcome})`);
  return { attachment: renderAlertCard('alert', data), summary };
}
