// Words for a write refused while the item still waits for it: an approver's own request, a PIM
// extension or renewal Graph cannot decide, an approval sent without the justification its policy may ask for,
// or a refusal the bot cannot explain further.

import { APPROVAL_STATES } from '../domain/catalog/approvalView';
import { AdminCenterOnlyError, InvalidStateError, NotForReaderError } from '../domain/errors';
import { SentBeforeOwnStageError } from '../domain/namedStage';
import { timeAndDay } from '../domain/laterStage';
import { CATALOG, OperationSpec, Target, decisionOf, withdrawalOf } from '../domain/operations';

export type Words = { title: string; what: string; next: string };

/**
 * A PIM extension or renewal request: Graph cannot decide it ("Approval for extend and renew
 * requests is currently not supported by the Microsoft Graph API"), and the same page says where
 * an approver decides it instead
 * (https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow;
 * for PIM for Groups, groups-approval-workflow). `spec` is the decision's catalog entry, whose
 * `undecidable` names the assignment and the admin center's blade.
 */
export function adminCenterOnly(spec: OperationSpec, requestAction: string, asked = false): Words {
  const kind = /renew/i.test(requestAction) ? 'a renewal request' : 'an extension request';
  const u = spec.undecidable;
  // `asked`: a decision was asked for and refused unsent. Otherwise the request is only shown (a
  // list row, a notification card), where nothing was attempted: it just has no buttons.
  const so = asked
    ? 'so Governance Bot does not decide them: your decision was not sent.'
    : 'so Governance Bot offers no Approve or Deny for them.';
  return {
    title: 'Decide this one in the Microsoft Entra admin center',
    what: `This is ${kind} for ${u?.assignment ?? 'an assignment'}. Extension and renewal requests cannot be approved or denied through Microsoft Graph, ${so}`,
    next: `Approve or deny it in the Microsoft Entra admin center: ${u?.decideAt ?? 'Identity governance > Privileged Identity Management > Approve requests'}.`,
  };
}

/**
 * Graph refused the read that names the stage a decision is for (501, or a 4xx such as 405 or
 * 422): no decision can be formed without it, and sending the command again will not mend a
 * refusal, so the approver is sent where the decision can be made (as for extension requests,
 * above). An access package's approvers decide in the My Access portal, under Approvals
 * (https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-request-approve).
 */
export function stageReadRefused(spec: OperationSpec, refused: string): Words {
  const at = spec.undecidable?.decideAt;
  return {
    title: at ? 'Decide this one in the Microsoft Entra admin center' : 'Decide this one in My Access',
    what: `${refused} Nothing was changed.`,
    next: `Approve or deny it ${at ? `in the Microsoft Entra admin center: ${at}` : 'in the My Access portal, under Approvals'}. If it happens again, give your administrator the Graph request-id below.`,
  };
}

/** The words of a decision refused unsent while its item still waits; null for another refusal. */
export function refusedUnsent(error: InvalidStateError, spec: OperationSpec): Words | null {
  if (error instanceof AdminCenterOnlyError) return adminCenterOnly(spec, error.requestAction, true);
  if (error instanceof SentBeforeOwnStageError) return sentBeforeOwnStage(spec, error.approvedAt);
  return null;
}

/**
 * A typed decision sent before its sender approved the stage before (the same command sent twice
 * before the first answer): not applied to the stage that approval opened for them (laterStage.ts
 * approvedSinceTyped), with the time Graph gives that approval.
 */
export function sentBeforeOwnStage(spec: OperationSpec, approvedAt: string): Words {
  const t = Date.parse(approvedAt);
  const at = Number.isNaN(t) ? null : timeAndDay(new Date(t));
  return {
    title: 'Not applied to your next stage',
    what: `This command was sent before you approved the previous stage of this ${spec.noun}${at ? ` (at ${at})` : ''}, so nothing was sent: it is not applied to the next stage, which is assigned to you too and now waits for your decision.`,
    next: 'To decide that stage too, send the command again.',
  };
}

/**
 * An approver's decision on their own request, refused unsent: "Approvers aren't able to approve
 * their own role activation requests" (pim-approval-workflow, above). A requester who no longer
 * needs it cancels it instead.
 */
export function ownRequest(spec: OperationSpec, target?: Target): Words {
  const cancel = withdrawCommand(spec, target);
  return {
    title: 'This is your own request',
    what: `You asked for this yourself, and Microsoft Entra does not let an approver approve their own request, so Governance Bot sent no decision on it. Nothing was changed.`,
    next: `Another approver of its stage decides it.${cancel ? ` If you no longer need it, withdraw it: send "${cancel}".` : ''}`,
  };
}

/**
 * The command that withdraws the request a decision names ("cancel role-request <id>"): the
 * command of the entry's cancel (its `withdrawnBy`), with the decision's ids of the same names.
 */
function withdrawCommand(spec: OperationSpec, target?: Target): string | null {
  const cancel = withdrawalOf(spec);
  if (!target || !cancel?.command) return null;
  return [...cancel.command.words, ...cancel.idNames.map((n) => target.ids[n] ?? '')].join(' ').trim();
}

/**
 * A decision the approval's read showed is not the signer's now (`told`: the catalog's words for
 * that state), refused unsent. A requester trying their own request lands here when they are not
 * among its approvers (Graph refuses them the read: the request may have ended meanwhile, so the
 * withdrawal is offered only if it still waits), so the way to withdraw it is named too; an
 * approver of a later stage is told to wait for it instead.
 */
export function notForReader(error: NotForReaderError, spec: OperationSpec, target?: Target): Words {
  const cancel = withdrawCommand(spec, target);
  const next =
    error.state === APPROVAL_STATES.later
      ? 'Nothing is needed from you yet: decide it once the earlier stage is approved.'
      : `If it is your own request${error.stateKnown ? '' : ' and it still waits'}, an approver decides it${cancel ? `; to withdraw it, send "${cancel}"` : ''}. Otherwise nothing is needed from you.`;
  return {
    title: 'Not yours to decide now',
    what: `${error.told} Governance Bot sent no decision on it. Nothing was changed.`,
    next,
  };
}

/**
 * A notification card of an approval addressed to its own requester (the event's principalId):
 * no Approve or Deny, as Microsoft Entra refuses them the decision (ownRequest, above).
 */
export function ownRequestCard(spec: OperationSpec, target: Target): Words {
  return {
    title: 'This is your own request',
    what: 'You asked for this yourself, and Microsoft Entra does not let an approver approve their own request, so this card has no Approve or Deny.',
    next: `Another approver of its stage decides it. If you no longer need it, withdraw it: send "${withdrawCommand(spec, target) ?? ''}".`,
  };
}

/**
 * Graph refused a decision of an item a read shows still open. For a PIM request the likely
 * cause is an extension or renewal the bot could not tell (its read of the request's action was
 * refused): Graph cannot decide those (pim-approval-workflow, above).
 */
export function refusedWhileOpen(spec: OperationSpec, state: string, target?: Target): Words {
  // An entry with requests Graph cannot decide (PIM extension or renewal): a refusal may be that,
  // whatever else it could be, so the hint stands beside any other.
  const undecidable = spec.undecidable
    ? `If it is a ${spec.undecidable.short} extension or renewal request, Microsoft Graph cannot decide it: ${adminCenterOnly(spec, 'selfExtend').next}`
    : null;
  const unjustified = target ? approvedWithoutReason(target) : null;
  if (unjustified) {
    // A PIM card's Approve asks for the reason in its "Why?" box (PIM's default policy requires
    // one); an access package card's Approve carries none (only Deny asks), so the command is the way.
    const boxed = decisionOf(target!)?.justification?.requiredOnCard === true;
    const policy = boxed
      ? "PIM's approval policy asks approvers for one by default"
      : "the request's approval policy can require one from approvers";
    const card = boxed
      ? 'or press Approve on its card and type why in the “Why?” box.'
      : "A card's Approve button sends none.";
    return {
      title: 'Microsoft Graph refused it',
      what: `Microsoft Graph refused this approval, though the ${spec.noun} is still ${state}. Nothing was changed. You gave no justification, and ${policy}.`,
      next: [`Approve it again with a reason: send ${unjustified}${boxed ? ',' : '.'} ${card}`, undecidable]
        .filter(Boolean)
        .join(' '),
    };
  }
  const where =
    undecidable ??
    `Check the ${spec.noun} in the Microsoft Entra admin center, and decide it there if it keeps being refused.`;
  return {
    title: 'Microsoft Graph refused it',
    what: `Microsoft Graph refused this, though the ${spec.noun} is still ${state}. Nothing was changed.`,
    next: where,
  };
}

/**
 * The command to approve again with a reason, when the target is an approval sent without one
 * while its justification is optional: a stage's policy may require it
 * (isApproverJustificationRequired, "Indicates whether the approver is required to provide a
 * justification for approving a request":
 * https://learn.microsoft.com/en-us/graph/api/resources/accesspackageapprovalstage?view=graph-rest-1.0),
 * and Graph's refusal (not documented) does not say so apart from other refusals.
 */
function approvedWithoutReason(target: Target): string | null {
  const d = decisionOf(target);
  if (!d?.justification || d.justification.required || target.justification?.trim()) return null;
  if (!d.command) return null;
  const ids = CATALOG[target.operation].idNames.map((n) => target.ids[n] ?? '');
  return `"${[...d.command.words, ...ids].join(' ')} <reason>"`;
}

/** An Action.Submit press is answered by a message of its own, below the card pressed: no card the
 * bot posted for the item (a press on it is refused), so it carries no buttons, and what to press
 * again is the pressed card's button, which stays. */
const PRESSED_CARDS_BUTTON = "the pressed card's button";
const PRESS_PRESSED_CARD = `press ${PRESSED_CARDS_BUTTON} again`;

/** Said by such an answer when the press may be tried again (a failure, the bot's storage). */
export const RETRY_ON_PRESSED_CARD = `This message has no buttons: to try again, ${PRESS_PRESSED_CARD}.`;

/** Said by such an answer for everyone, a stage decided, when the pressed card could not be edited. */
export const NEXT_STAGE_ON_PRESSED_CARD = `This message has no buttons: the next stage's approvers press ${PRESSED_CARDS_BUTTON}, or decide it from "my approvals".`;

/** Said to a click that answers while a write of the item is still with Microsoft Graph (its own,
 * or another person's). That answer is the last anyone is given: if Graph then refuses, the card is
 * edited for nobody, so the words promise no change and say what to do when none comes. */
export function writeUnderWay(what: 'card' | 'row' | 'pressed card'): string {
  // An Action.Submit press is answered by a message of its own, below the card that changes.
  if (what === 'pressed card')
    return `Nothing will be sent twice. If it succeeds, the pressed card changes; if it has not changed within a minute, ${PRESS_PRESSED_CARD} to see where it stands.`;
  return `Nothing will be sent twice. If it succeeds, this ${what} changes; if it has not changed within a minute, press the button again to see where it stands.`;
}

export const GRAPH_NOT_ANSWERED = 'Microsoft Graph has not answered yet.';
