// The signin/failure invoke of contract §5: Teams' single sign-on failed on its side. Apart from
// the other sign-in invokes (signInInvokes.ts): it runs nothing, it only tells the user once, per
// sign-in or per conversation, how to sign in another way.

import { InvokeResponse, TurnContext } from 'botbuilder';
import type { SignInReason } from '../state/signInStates';
import { SignInRequiredError } from '../domain/errors';
import { OK } from './invokeResponses';
import { sendReply, sendSignInCard } from './replies';
import type { SignInInvokeDeps } from './signInInvokes';
import { subjectOf } from './turnUser';

/**
 * What Teams' signin/failure codes mean for the user. Most are silent in Teams (the user sees
 * nothing and the sign-in does not complete), and a new single sign-on attempt fails the same way,
 * so "send the command again" would lead nowhere: the bot's own sign-in page (a card without SSO)
 * is the way on, and an administrator is told about what only they can mend.
 * https://learn.microsoft.com/en-us/microsoftteams/platform/teams-sdk/teams/user-authentication/troubleshooting-sso
 * Maps, not objects: the code is the client's word, and "constructor" or "__proto__" would read a
 * member every object has.
 */
const FAILURE_ADVICE: ReadonlyMap<string, string> = new Map([
  ['installappfailed', 'Teams could not install Governance Bot for you. Install it for yourself in Teams (Apps).'],
  ['authrequestfailed', 'Teams could not complete single sign-on for Governance Bot.'],
  [
    'installedappnotfound',
    'Governance Bot is not installed for you, so Teams could not sign you in silently. Install it for yourself in Teams (Apps).',
  ],
  ['invokeerror', 'Teams could not complete single sign-on for Governance Bot.'],
  [
    'resourcematchfailed',
    "Teams could not match the app's SSO resource. An administrator must make webApplicationInfo.resource in the app manifest equal the Entra app's Application ID URI (api://botid-<bot id>).",
  ],
  ['oauthcardnotvalid', 'Teams could not read the sign-in card of Governance Bot. Tell your Teams administrator.'],
  ['tokenmissing', 'Teams could not get a sign-in token for you from Microsoft Entra.'],
  ['userconsentrequired', 'Governance Bot needs your permission to act as you in Microsoft Entra.'],
  ['interactionrequired', 'Your organization asks you to sign in again, or to complete multi-factor authentication.'],
]);

/** The sign-in page's reason for a code that says what Entra is missing. */
const FAILURE_REASON: ReadonlyMap<string, SignInReason> = new Map<string, SignInReason>([
  ['userconsentrequired', 'consent'],
  ['interactionrequired', 'mfa'],
]);

/**
 * What to do again when the sign-in no longer knows what waited for it. The Sign in card these
 * invokes come from answers a typed command or a button pressed on a client without Universal
 * Actions (Action.Submit), so the words fit both. Kept here, where signInInvokes.ts takes it too,
 * so that neither file imports the other at run time.
 */
export const AGAIN = "Send your command again, or press the card's button again";

/** What a failure report needs of the sign-in invokes' dependencies. */
export type FailureDeps = Pick<SignInInvokeDeps, 'signIn' | 'cards' | 'logger' | 'tenantId'>;

/**
 * Teams reports that single sign-on failed on its side. The command this user typed in this
 * conversation stays waiting, and they get one Sign in card without SSO, which says why: its
 * button opens the bot's sign-in page, which works whatever Teams' SSO could not do. Teams may
 * send the failure from each of the user's clients: the card goes once per sign-in. In a group
 * chat or a channel every member's client tries the card of someone else's command too (and
 * fails when the app is not installed for them): nothing of theirs waits there, so nothing is
 * posted for everyone to read.
 */
export async function answerFailure(deps: FailureDeps, ctx: TurnContext): Promise<InvokeResponse> {
  const { signIn, cards, logger } = deps;
  const value = (ctx.activity.value ?? {}) as { code?: unknown };
  const raw = typeof value.code === 'string' ? value.code : '';
  // The code comes from the client: only a short plain word is logged or shown.
  const code = /^[A-Za-z0-9_-]{1,64}$/.test(raw) ? raw.toLowerCase() : 'unknown';
  logger.warn({ event: 'signin.failure', code }, 'Teams reported an SSO failure');
  const user = subjectOf(ctx.activity, deps.tenantId);
  const here = ctx.activity.conversation?.id;
  const pendingId = user
    ? await signIn.latestFor(user.aadObjectId, (p) => here !== undefined && p.reference.conversation?.id === here)
    : null;
  const said = FAILURE_ADVICE.get(code) ?? `Teams could not sign you in (${code}).`;
  if (!user || !pendingId || here === undefined) {
    if (shared(ctx)) return OK;
    // A failure here was answered lately and nothing waits now: the user signed in from that card
    // (the command ran) and another of their clients reports late. "Send it again" would run it twice.
    if (user && here !== undefined && (await signIn.failureSeenIn(user.aadObjectId, here))) {
      logger.info({ event: 'signin.failure.late', code }, 'a failure of a sign-in that is answered');
      return OK;
    }
    const explanation = cards.info('Sign-in failed in Teams', `${said} Then ${AGAIN.toLowerCase()}.`);
    if (!user || here === undefined) {
      await sendReply(ctx, explanation);
      return OK;
    }
    // Each of the user's clients (desktop, web, mobile) may report the same failure: told once.
    const undoLone = await signIn.firstLoneFailureReport(user.aadObjectId, here, code);
    if (!undoLone) {
      logger.info({ event: 'signin.failure.duplicate', code }, 'this failure was explained already');
      return OK;
    }
    try {
      await sendReply(ctx, explanation);
    } catch (e) {
      // Not sent: a later report of it must still explain it.
      await undoLone().catch(() => false);
      throw e;
    }
    return OK;
  }
  const undo = await signIn.firstFailureReport(pendingId, user.aadObjectId, here);
  if (!undo) {
    logger.info({ event: 'signin.failure.duplicate', code }, 'the Sign in card for this sign-in was sent already');
    return OK;
  }
  const reason = FAILURE_REASON.get(code);
  try {
    if (reason) await signIn.noteFailure(pendingId, user.aadObjectId, new SignInRequiredError(said, reason));
    await sendSignInCard(
      ctx,
      signIn.oauthCard(pendingId, reason, undefined, `${said} Select Sign in; what you asked for then runs.`),
    );
  } catch (e) {
    // The card did not go (the state store or Teams failed): the mark must not stand, or every
    // later report of this sign-in would be taken for a duplicate and the user would never get
    // it. The invoke's error handler still answers 200.
    await undo().catch(() => false);
    throw e;
  }
  return OK;
}

/** A conversation every member reads (a group chat or a channel), not a personal chat. */
function shared(ctx: TurnContext): boolean {
  const c = ctx.activity.conversation;
  return c?.isGroup === true || c?.conversationType === 'groupChat' || c?.conversationType === 'channel';
}
