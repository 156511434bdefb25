// What a SignInFlow (sso.ts) is built from: the on-behalf-of exchange, the token cache, the
// waiting sign-ins and the shared state of the sign-in pages and sign outs.

import type { SignInReason, SignInStates } from '../state/signInStates';
import type { PendingSignIns } from '../state/signIns';
import type { SsoSource } from './signInResults';
import type { SignOutMarks } from './signOuts';
import type { ExchangePause } from './tokenExchange';
import type { OboExchanger, UserTokenCache } from './tokens';

export interface SignInFlowOptions<T> {
  readonly exchanger: OboExchanger;
  readonly cache: UserTokenCache;
  readonly pending: PendingSignIns<T>;
  /** Application ID URI of the SSO app, e.g. api://botid-{appId}; Teams uses the manifest's. */
  readonly resourceUri: string | null;
  /** Where tokens come from without asking, if anywhere. */
  readonly silent?: SsoSource | null;
  /** Where an expired password is changed in the bot's cloud (PASSWORD_RESET_PAGES, configClouds.ts):
   * the Sign in card names it; null where none is known, and the card names none. */
  readonly passwordResetPage: string | null;
  /** The bot's sign-in start page for a pending sign-in: the OAuth card's button opens it. */
  readonly signInUrl: (pendingId: string, reason?: SignInReason, claims?: string) => string;
  /** The one-time states of the sign-in pages (`signin/verifyState`). */
  readonly states?: SignInStates | null;
  /** Sign outs shared by every instance (absent: a sign out reaches this instance's memory only). */
  readonly signOuts?: SignOutMarks | null;
  /** Whether only the user who asked can see the Sign in card of `payload` (a personal chat): only
   * then does its start page get their user name as `login_hint` (tokenExchange.ts). Absent: never. */
  readonly seenByTheUserOnly?: (payload: T) => boolean;
  /** How a token exchange waits before it looks again at a sign-in another instance's exchange
   * holds (tokenExchange.ts); real time by default. */
  readonly exchangePause?: ExchangePause;
}
