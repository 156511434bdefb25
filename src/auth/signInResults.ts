// What the sign-in flow (sso.ts) answers with: the result of a Teams token exchange, of a token
// lookup and of a `signin/verifyState`, and the host's silent SSO source. Plain shapes, so the bot's
// invoke handlers can read them without the flow's workings.

import type { SignInRequiredError } from '../domain/errors';
import type { VerifyProblem } from '../state/signInStates';

/**
 * Hands out a user's SSO token without asking them, where the host can (the sandbox's simulated
 * Teams SSO). Null when the user is unknown. Teams itself has no such source: it sends tokens in
 * invokes.
 */
export type SsoSource = (aadObjectId: string) => Promise<string | null>;

export interface TokenExchangeRequest {
  readonly id?: unknown;
  readonly connectionName?: unknown;
  readonly token?: unknown;
}

export type ExchangeResult<T> =
  | { readonly status: 200; readonly kind: 'signedIn'; readonly payload: T }
  /** Duplicate or foreign invoke, one the user's sign out overtook, or one for a card whose command
   * already ran (`alreadyRan`), whose press was answered without running (`alreadyAnswered`), or
   * that nothing waits for (`unknownId`): acknowledged, nothing runs. */
  | {
      readonly status: 200;
      readonly kind: 'ignored';
      readonly why: 'duplicate' | 'otherUser' | 'unknownId' | 'alreadyRan' | 'alreadyAnswered' | 'signedOut';
    }
  /** Another client's exchange of the same id, on its way here: answered as that one ended. */
  | { readonly status: 200 | 412; readonly kind: 'duplicate'; readonly failureDetail?: string }
  | {
      readonly status: 412;
      readonly kind: 'failed';
      /** The exchanged card's pending sign-in. */
      readonly id: string;
      readonly error: SignInRequiredError;
      readonly failureDetail: string;
      readonly payload: T | null;
      /** This card's exchange failed before (another client): the user was told then. */
      readonly told: boolean;
      /** The state store did not take the failure's reason for the sign-in page (nor end the lease). */
      readonly notNoted?: true;
    }
  | { readonly status: 400; readonly kind: 'badRequest'; readonly failureDetail: string };

/** A token for the user, or why there is none. */
export type TokenResolution =
  | { readonly kind: 'token'; readonly token: string }
  /** Ask the user (OAuth card or Universal Actions login request). */
  | { readonly kind: 'needed' }
  /** The SSO source does not know this user. */
  | { readonly kind: 'unknownUser' }
  | { readonly kind: 'failed'; readonly error: SignInRequiredError };

/** How a `signin/verifyState` (or a click re-sent with `state`) ended. */
export type VerifyOutcome<T> =
  /** The user signed in on the pages and this instance holds their token: run what waited. */
  /** Payload null: nothing waits for that sign-in now; `ran` when its command already ran (taken
   * by another client's token exchange or another verifyState), with `answered` when its press was
   * answered without running; else it is gone (expired, signed out). */
  | { readonly kind: 'signedIn'; readonly payload: T | null; readonly ran?: true; readonly answered?: true }
  /** Signed in, but the token is in another instance's memory: ask Teams again, silently, with
   * the card of the sign-in `id` (what waited still waits under it). */
  | {
      readonly kind: 'tokenElsewhere';
      readonly payload: T | null;
      readonly id: string;
      readonly ran?: true;
      readonly answered?: true;
    }
  | { readonly kind: 'problem'; readonly problem: VerifyProblem };

/** `{ ran: true }` when the command of a sign-in no longer waiting was taken to run lately
 * (another client's token exchange, another verifyState): the user must not send it again; with
 * `answered` when its press was answered without running (signInRanMarks.ts). */
export function ranAlready(now: { ran: boolean; answered?: true }): { ran?: true; answered?: true } {
  if (!now.ran) return {};
  return now.answered ? { ran: true, answered: true } : { ran: true };
}
