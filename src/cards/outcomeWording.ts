// A finished command in words: the success sentence of each operation, and the result or error
// card that tells the person how it ended (explain gives an error's words).

import { Outcome } from '../domain/governance';
import type { RequestNames } from '../domain/lastAnswer';
import { NEXT_STAGE, endedSinceText } from '../domain/laterStage';
import { DecidedElsewhereError, DomainError, InvalidStateError } from '../domain/errors';
import {
  CATALOG,
  DecisionSpec,
  OperationName,
  OperationSpec,
  Target,
  decisionOf,
  doneWordOf,
  stateIn,
  typedIdOf,
} from '../domain/operations';
import { CardData, Fact } from './render';
import { explain, stamp } from './wording';

export type Described =
  | { readonly card: 'result'; readonly data: CardData['result']; readonly summary: string }
  | { readonly card: 'error'; readonly data: CardData['error']; readonly summary: string };

/**
 * The success sentence of each operation, from the decision it carried out (its past tense and
 * name come from the catalog). A new catalog entry does not compile until it has one here.
 */
const DONE_TEXT: { readonly [N in OperationName]: (d: DecisionSpec) => string } = {
  cancelWorkflowRun: (d) => `${d.doneWord} the workflow run.`,
  cancelRoleRequest: (d) => `${d.doneWord} the role assignment request.`,
  cancelGroupRequest: (d) => `${d.doneWord} the group assignment request.`,
  cancelAccessPackageRequest: (d) => `${d.doneWord} the access package assignment request.`,
  resumeTask: (d) => `${d.doneWord} the custom task: Lifecycle Workflows resumes it as ${d.name ?? 'asked'}.`,
  decideRoleApproval: (d) => `${d.doneWord} your stage of the PIM role request.`,
  decideGroupApproval: (d) => `${d.doneWord} your stage of the PIM for Groups request.`,
  decideAccessPackageApproval: (d) => `${d.doneWord} your stage of the access package request.`,
};

/** What each decision's request asks for, as "my approvals" names its kind (KIND_NAMES). */
const WHAT_TITLE: Partial<Record<OperationName, string>> = {
  decideRoleApproval: 'Role',
  decideGroupApproval: 'Group',
  decideAccessPackageApproval: 'Access package',
};

/** The request's names, when the read before the decision told them (the list's row shows the
 * same), then its ids and the decision. */
function idFacts(target: Target, about?: RequestNames): Fact[] {
  const spec = CATALOG[target.operation];
  const title = WHAT_TITLE[target.operation];
  const facts: Fact[] = [
    ...(about?.what && title ? [{ title, value: about.what }] : []),
    ...(about?.requester ? [{ title: 'Requested by', value: about.requester }] : []),
    ...spec.idNames.map((n) => ({ title: n, value: typedIdOf(target, n) })),
  ];
  if (target.decision) facts.push({ title: 'decision', value: target.decision });
  return facts;
}

/** The success sentence for a target, and its first clause for the one-line summary. */
export function doneText(target: Target): { text: string; summary: string } {
  const d = decisionOf(target) ?? { name: null, button: '', doneWord: doneWordOf(target), provenBy: [] };
  const text = DONE_TEXT[target.operation](d);
  return { text, summary: text.split(/[:.]/)[0] ?? text };
}

/** A finished command as its card: the result card on success, the error card otherwise. */
export function describeOutcome(
  outcome: Outcome,
  ctx: { actorName?: string; at: Date; passwordResetPage?: string | null },
): Described {
  const spec = CATALOG[outcome.target.operation];
  const facts = idFacts(outcome.target, outcome.about);
  if (outcome.ok) {
    const done = doneText(outcome.target);
    const by = ctx.actorName ? ` by ${ctx.actorName}` : '';
    const confirmed = outcome.confirmedByRead
      ? ' Microsoft Graph did not answer the first time; reading the item confirmed it took effect.'
      : '';
    // The approval stands, but a later stage ended the request since: said, never left out.
    const ended = outcome.endedSince ? ` ${endedSinceText(outcome.endedSince)}` : '';
    return {
      card: 'result',
      summary: done.summary,
      data: {
        title: spec.title,
        outcome: `${done.text}${outcome.leavesOpen ? ` ${NEXT_STAGE}` : ''}${confirmed}${ended}`,
        facts: [...facts, { title: 'done', value: `${stamp(ctx.at)}${by}` }],
        footer: supportLine(outcome.graph.requestId, outcome.correlationId),
      },
    };
  }
  // A typed command's outcome: a sign-in it needs is asked for with a Sign in card instead when
  // one can be (commandTurns.ts run), so one shown here has none, and nothing waits for it.
  const words = explain(outcome.error, spec, outcome.target, 'commandAlone', ctx.passwordResetPage ?? null);
  // The sender's own decision, made before, stands: told in the result card's good style, as a
  // press with the same outcome is (clickOutcomes.ts), not as a failure.
  if (ownDecisionStands(outcome.error, spec))
    return {
      card: 'result',
      summary: `${spec.title}: ${asClause(words.title)}`,
      data: {
        title: words.title,
        outcome: `${words.what} ${words.next}`,
        facts,
        footer: supportLine(outcome.error.graph.requestId, outcome.correlationId),
      },
    };
  return {
    card: 'error',
    summary: `${spec.title}: ${asClause(words.title)}`,
    data: {
      ...words,
      facts,
      support: supportLine(outcome.error.graph.requestId, outcome.correlationId),
      style: notApplied(outcome.error, spec) ? 'warning' : 'attention',
    },
  };
}

/** The colour of an error's words, typed or pressed: yellow (warning) when the decision was not
 * applied because the item was decided or ended already, red (attention) for a failure. */
export function errorStyle(error: DomainError, target: Target): 'attention' | 'warning' {
  return notApplied(error, CATALOG[target.operation]) ? 'warning' : 'attention';
}

/** The item was decided or ended already, so the decision asked for was not applied: yellow, as a
 * pressed card shows the same answer (clickOutcomes.ts graphStateOutcome), not as a failure. */
function notApplied(error: DomainError, spec: OperationSpec): boolean {
  if (spec.idFromRead === undefined) return false;
  if (error instanceof DecidedElsewhereError) return true;
  // A state the read named that is not open (Expired, an unreviewed Closed, a PIM extension's
  // PendingApproval the admin center decides): a press shows each yellow too.
  return (
    error instanceof InvalidStateError &&
    error.currentState !== null &&
    !stateIn(error.currentState, spec.allowedStates)
  );
}

/** Graph shows the decision asked for already made by the one asking (DecidedElsewhereError byAsker). */
function ownDecisionStands(error: DomainError, spec: OperationSpec): boolean {
  if (!(error instanceof DecidedElsewhereError) || !error.byAsker) return false;
  return spec.decisions.some((d) => d.name === error.requested && stateIn(error.currentState, d.provenBy));
}

/** A card title as the clause after a colon: its first letter small, the rest as written, since a
 * name stays a name ("Microsoft Graph is busy", "Refused by Microsoft Graph", "PIM …"). */
function asClause(title: string): string {
  return /^(Microsoft\b|[A-Z]{2})/.test(title) ? title : title.charAt(0).toLowerCase() + title.slice(1);
}

function supportLine(graphRequestId: string | null, correlationId: string): string {
  return graphRequestId
    ? `Graph request-id ${graphRequestId} · correlation ${correlationId}`
    : `correlation ${correlationId}`;
}
