// Domain outcomes in words a person understands. The switch over error codes is exhaustive: a new
// code does not compile until it has its wording. No raw Graph message and no token ever appears
// here; the Graph request-id does, for support.

import {
  OwnRequestError,
  DecidedElsewhereError,
  DomainError,
  InvalidStateError,
  NotAvailableInCloudError,
  NotForReaderError,
  UnsupportedByGraphError,
  NotSentError,
  RefusedByGraphError,
  OutOfTimeError,
  StageReadRefusedError,
  SignInRequiredError,
  ThrottledError,
} from '../domain/errors';
import { ASKED_AGAIN_LATER, OWN_STAGE_OPEN, timeAndDay } from '../domain/laterStage';
import { CLOUD_NAMES, Cloud, CLOUDS, OperationSpec, Target, stateIn } from '../domain/operations';
import { notFound } from './notFoundWording';
import { notLicensed } from './licenceWording';
import { notForReader, ownRequest, refusedUnsent, refusedWhileOpen, stageReadRefused } from './refusalWording';
import { notPermitted } from './rightsWording';
import { endedUndecided, undecided } from './undecidedWording';
import { AskedBy, signInNext, signInTitle, storeDownWords } from './signInWording';

export { adminCenterOnly } from './refusalWording';

/** "a, b or c": the states an action works in, any one of them. */
function eitherOf(states: readonly string[]): string {
  return states.length < 2 ? (states[0] ?? '') : `${states.slice(0, -1).join(', ')} or ${states[states.length - 1]}`;
}

/** A moment as the cards show it: "2026-03-18 08:30 UTC". */
export function stamp(at: Date): string {
  return at.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

/** A cutoff as the cards show it, never before it: a card sent a few seconds before 09:30:59 still
 * offered its buttons, so that moment ends "at 09:30:59 UTC", not at 09:30. The minute when the
 * moment falls on one (after rounding up to the second), the second otherwise. */
export function stampNotBefore(at: Date): string {
  const up = new Date(Math.ceil(at.getTime() / 1000) * 1000);
  return up.getUTCSeconds() === 0 ? stamp(up) : up.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

/** A Graph timestamp in a sentence, as a pressed card says it ("08:30 UTC on 2026-03-18",
 * laterStage.ts timeAndDay): the answer stays in the chat under the time the command was sent.
 * Null when it is not a date (then it is not shown). */
function whenOf(iso: string): string | null {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? null : timeAndDay(at);
}

/**
 * What went wrong and what to do, for one error. Exhaustive over the codes. The target, when
 * given, lets a refusal name what the person sent (an approval without a justification); `by`,
 * whether they typed a command or pressed a button, is what they do again; `resetPage`, where an
 * expired password is changed in the bot's cloud (PASSWORD_RESET_PAGES): none is named without it.
 */
export function explain(
  error: DomainError,
  spec: OperationSpec,
  target?: Target,
  by: AskedBy = 'command',
  resetPage: string | null = null,
): { title: string; what: string; next: string } {
  switch (error.code) {
    case 'NOT_PERMITTED':
      if (error instanceof OwnRequestError) return ownRequest(spec, target);
      if (error instanceof NotForReaderError) return notForReader(error, spec, target);
      return notPermitted(error, spec, target);
    case 'NOT_FOUND':
      return notFound(error, spec);
    case 'INVALID_STATE': {
      const unsent = error instanceof InvalidStateError ? refusedUnsent(error, spec) : null;
      if (unsent) return unsent;
      const state = error instanceof InvalidStateError ? error.currentState : null;
      // Graph refused while a read shows the item still open: its state is not the reason.
      if (state && stateIn(state, spec.allowedStates)) return refusedWhileOpen(spec, state, target);
      return {
        title: 'Not possible in its current state',
        what: state
          ? `The ${spec.noun} is ${state}, so it cannot be changed this way.`
          : `Microsoft Graph says the ${spec.noun} is not in a state that allows this.`,
        next: `This works only while the ${spec.noun} is ${eitherOf(spec.allowedStates)}. If someone already acted on it, nothing more is needed.`,
      };
    }
    case 'DECIDED_ELSEWHERE': {
      if (error instanceof DecidedElsewhereError && undecided(error, spec)) return endedUndecided(error, spec);
      const e = error instanceof DecidedElsewhereError ? error : null;
      const state = e?.currentState ?? 'finished';
      const asked = e?.requested ? `"${e.requested}"` : 'you asked';
      const who = e?.decidedBy ? ` by ${e.decidedBy}` : '';
      const at = e?.decidedAt ? whenOf(e.decidedAt) : null;
      const unknown = e?.decidedBy ? '' : ' Microsoft Graph does not say who.';
      // Another approver made the decision asked for (their review, not this one's): it differs in who, not what.
      const sameDecision = spec.decisions.some((d) => d.name === e?.requested && stateIn(state, d.provenBy));
      const how =
        e?.learnt === 'afterRefusal'
          ? `Microsoft Graph refused: the ${spec.noun} was already ${state}${who}${at ? ` at ${at}` : ''}, so ${asked} was not applied.${unknown}`
          : sameDecision
            ? `Microsoft Graph did not answer in time, and reading the ${spec.noun} shows it was already ${state}${who}${at ? ` at ${at}` : ''}. Your decision was not applied.${unknown}`
            : `Microsoft Graph did not answer in time, and reading the ${spec.noun} shows it was finished as ${state}${who}${at ? ` at ${at}` : ''}, not as ${asked}. Your decision was not applied.${unknown}`;
      // A later stage assigned to them too may ask them again: "nothing more" would not be true.
      const later = e?.ownStageOpen ? `${OWN_STAGE_OPEN} ` : e?.askedAgainLater ? `${ASKED_AGAIN_LATER} ` : '';
      if (e?.byAsker) {
        return {
          title: 'You already decided this',
          what: `The ${spec.noun} was already ${state} by you${e.decidedBy ? ` (${e.decidedBy})` : ''}${at ? ` at ${at}` : ''}, so ${asked} was not applied${sameDecision ? ' again' : ''}.`,
          // A next stage only while one waits: a denial or a last stage's decision ends the request.
          next:
            later ||
            `Nothing more is needed from you.${e.laterStageWaits ? ' Check the request in the Entra admin center if the next stage seems stuck.' : ''}`,
        };
      }
      return {
        // Only a read that names the decider tells it was someone else (not the asker earlier, or no one).
        title: e?.decidedBy ? 'Someone else decided first' : 'Already finished another way',
        what: how,
        next: `${later || 'Nothing more can be done here. '}If ${state} is wrong, check the ${spec.noun} in the Entra admin center.`,
      };
    }
    case 'NOT_AVAILABLE_IN_CLOUD': {
      const cloud = error instanceof NotAvailableInCloudError ? error.cloud : '';
      const name = (CLOUDS as readonly string[]).includes(cloud) ? CLOUD_NAMES[cloud as Cloud] : cloud;
      const documented = (spec.clouds as readonly string[]).includes(cloud);
      return {
        title: 'Not offered in this cloud',
        what: documented
          ? `Microsoft's documentation lists "${spec.title}" for ${name}, but Microsoft Graph there answered that the call does not exist. Nothing was changed.`
          : `Microsoft Graph does not offer "${spec.title}" in ${name}. Nothing was sent.`,
        next: `Use the Entra admin center for this action. It is offered in: ${spec.clouds.map((c) => CLOUD_NAMES[c]).join(', ')}.`,
      };
    }
    case 'NOT_LICENSED':
      return notLicensed(spec);
    case 'THROTTLED': {
      const seconds = error instanceof ThrottledError ? Math.max(1, Math.ceil(error.retryAfterSeconds)) : 30;
      if (error instanceof ThrottledError && error.afterUnansweredWrite)
        return {
          title: 'Microsoft Graph is busy',
          what: 'Microsoft Graph did not answer the first attempt in a way that can be relied on, and then asked us to slow down before it could be sent again. The first attempt may or may not have taken effect.',
          next: `Check the ${spec.noun} in the Entra admin center before trying again (in ${seconds} s at the earliest), so it is not changed twice.`,
        };
      return {
        title: 'Microsoft Graph is busy',
        what: 'Microsoft Graph kept asking us to slow down, so the request was not completed. Nothing was changed.',
        next: `Try again in ${seconds} s.`,
      };
    }
    case 'SIGN_IN_REQUIRED':
      // The bot's own storage failed (signInStoreError.ts): no token was asked for, none refused.
      if (error instanceof SignInRequiredError && error.reason === 'stateUnavailable') return storeDownWords(error, by);
      return {
        title: signInTitle(error instanceof SignInRequiredError ? error : null),
        // Graph's 401: the call went out with a token Graph refused (expired or revoked).
        what:
          error.graph.status === 401
            ? 'Microsoft Graph did not accept your sign-in; it may have expired or been revoked.'
            : 'Governance Bot could not get a token to act as you, so nothing was sent to Microsoft Graph.',
        next: signInNext(error instanceof SignInRequiredError ? error : null, by, resetPage),
      };
    case 'UPSTREAM':
      if (error instanceof OutOfTimeError)
        return { title: 'Not sent in time', what: error.message, next: 'Press the button again.' };
      if (error instanceof NotSentError)
        return { title: 'Not sent', what: error.message, next: `Nothing was changed. ${againInAMoment(by)}` };
      if (error instanceof StageReadRefusedError) return stageReadRefused(spec, error.message);
      if (error instanceof UnsupportedByGraphError)
        return {
          title: 'Not available here',
          what: `${error.message} The feature is not available for this ${spec.noun}, or not in this cloud.`,
          next: 'Use the Entra admin center for this action. If it happens again, give your administrator the Graph request-id below.',
        };
      if (error instanceof RefusedByGraphError)
        return {
          title: 'Refused by Microsoft Graph',
          what: error.message,
          next: 'Nothing was changed. If it happens again, give your administrator the Graph request-id below.',
        };
      return {
        title: 'Microsoft Graph failed',
        what: `${error.message}`,
        next: `Check the ${spec.noun} in the Entra admin center before trying again, so it is not changed twice.`,
      };
    case 'BAD_INPUT':
      // The bot's own check, made before any Graph call; it names the one thing to change. (The
      // conversation, and so how to ask for help there, is not known here.)
      return { title: 'That input is not valid', what: error.message, next: 'Nothing was sent to Microsoft Graph.' };
    default: {
      const unreachable: never = error.code;
      return unreachable;
    }
  }
}

/**
 * explain for a sign-in error of a command whose write Microsoft Graph refused the token of (401):
 * it went out once, so the words never say nothing was sent; the storage failing then
 * (storeDownWords), or a new token not got yet (why, and what to do: explain's next).
 */
export function explainAfter401(
  error: SignInRequiredError,
  spec: OperationSpec,
  by: AskedBy,
  resetPage: string | null,
): { title: string; what: string; next: string } {
  if (error.reason === 'stateUnavailable') return storeDownWords(error, by, true);
  const what =
    'Microsoft Graph refused the sign-in this command was sent with (401), and Governance Bot could not get a new token to act as you yet. Nothing was changed.';
  return { ...explain(error, spec, undefined, by, resetPage), what };
}

/** What to do again after nothing was sent: press the button, or send the command. */
function againInAMoment(by: AskedBy): string {
  return by === 'button' ? 'Press the button again in a moment.' : 'Send the command again in a moment.';
}
