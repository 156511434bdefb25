// The sign-in invokes of contract §5: signin/tokenExchange (run the remembered command after a
// successful exchange), signin/verifyState and signin/failure. Never a 5xx or a 501.

import { InvokeResponse, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { SignInFlow } from '../auth/sso';
import type { SignInReason, VerifyProblem } from '../state/signInStates';
import { SignInRequiredError } from '../domain/errors';
import { CommandTurns, PendingCommand } from './commandTurns';
import type { ListTurns } from './listTurns';
import type { GovernanceService } from '../domain/governance';
import { OK, tokenExchangeResponse } from './invokeResponses';
import { auditAbandoned, resumeOperation } from './signInAbandoned';
import { Later, ReplyCards, sendReply, sendSignInCard } from './replies';
import { subjectOf } from './turnUser';

export interface SignInInvokeDeps {
  readonly signIn: SignInFlow<PendingCommand>;
  readonly cards: ReplyCards;
  readonly logger: Logger;
  readonly tenantId: string;
  readonly commands: CommandTurns;
  /** Audits the remembered commands a cancelled sign-in ends (signInAbandoned.ts). */
  readonly governance: Pick<GovernanceService, 'recordRefusal'>;
  /** Posts a list, or shows a list card's page, that waited for sign-in (absent: lists are off in
   * this deployment). */
  readonly lists?: Pick<ListTurns, 'post' | 'pageAfterSignIn'> | null;
  /** Runs work in a conversation after the invoke was answered. */
  readonly later: Later;
}

/**
 * What Teams' signin/failure codes mean for the user. Most are silent in Teams (the user sees
 * nothing and the sign-in does not complete), and a new single sign-on attempt fails the same way,
 * so "send the command again" would lead nowhere: the bot's own sign-in page (a card without SSO)
 * is the way on, and an administrator is told about what only they can mend.
 * https://learn.microsoft.com/en-us/microsoftteams/platform/teams-sdk/teams/user-authentication/troubleshooting-sso
 */
const FAILURE_ADVICE: Readonly<Record<string, string>> = {
  installappfailed: 'Teams could not install Governance Bot for you. Install it for yourself in Teams (Apps).',
  authrequestfailed: 'Teams could not complete single sign-on for Governance Bot.',
  installedappnotfound:
    'Governance Bot is not installed for you, so Teams could not sign you in silently. Install it for yourself in Teams (Apps).',
  invokeerror: 'Teams could not complete single sign-on for Governance Bot.',
  resourcematchfailed:
    "Teams could not match the app's SSO resource. An administrator must make webApplicationInfo.resource in the app manifest equal the Entra app's Application ID URI (api://botid-<bot id>).",
  oauthcardnotvalid: 'Teams could not read the sign-in card of Governance Bot. Tell your Teams administrator.',
  tokenmissing: 'Teams could not get a sign-in token for you from Microsoft Entra.',
  userconsentrequired: 'Governance Bot needs your permission to act as you in Microsoft Entra.',
  interactionrequired: 'Your organization asks you to sign in again, or to complete multi-factor authentication.',
};

/** The sign-in page's reason for a code that says what Entra is missing. */
const FAILURE_REASON: Readonly<Record<string, SignInReason>> = {
  userconsentrequired: 'consent',
  interactionrequired: 'mfa',
};

/**
 * What to do again when the sign-in no longer knows what waited for it. The Sign in card these
 * invokes come from answers a typed command or a button pressed on a client without Universal
 * Actions (Action.Submit), so the words fit both.
 */
const AGAIN = "Send your command again, or press the card's button again";

export const VERIFY_PROBLEMS: Readonly<Record<VerifyProblem, { status: number; title: string; text: string }>> = {
  unknown: {
    status: 404,
    title: 'This sign-in is no longer valid',
    text: `It was already used, or it did not come from Governance Bot. Nothing was done. ${AGAIN}, and select Sign in when Governance Bot asks you to.`,
  },
  expired: {
    status: 410,
    title: 'This sign-in took too long',
    text: `Nothing was done. ${AGAIN}, and complete the sign-in within a few minutes.`,
  },
  otherUser: {
    status: 403,
    title: 'This sign-in belongs to someone else',
    text: "Nothing was done. Send the command, or press the card's button, yourself and select Sign in when Governance Bot asks you to.",
  },
};

/** verifyState for a sign-in whose command already ran (another client's exchange or verifyState). */
const SIGNED_IN_RAN =
  'You are signed in to Governance Bot. Your command already ran when you signed in from another Teams window or device, so it was not run again. Its result is in the conversation where you sent it.';
/** verifyState for a sign-in that is gone without running (expired, or forgotten by a sign out). */
const SIGNED_IN_GONE = `You are signed in to Governance Bot. ${AGAIN}.`;

export class SignInInvokes {
  constructor(private readonly deps: SignInInvokeDeps) {}

  async tokenExchange(ctx: TurnContext): Promise<InvokeResponse> {
    const { signIn, logger, cards } = this.deps;
    const value: unknown = ctx.activity.value;
    const user = subjectOf(ctx.activity, this.deps.tenantId);
    const result = await signIn.exchange((value ?? {}) as Record<string, unknown>, user);
    switch (result.kind) {
      case 'signedIn': {
        // Answer the invoke now; the command runs right after, in its conversation.
        this.resume(result.payload, user?.aadObjectId ?? '');
        return tokenExchangeResponse(200, value);
      }
      case 'ignored':
        logger.info({ event: 'signin.tokenExchange.ignored', why: result.why }, 'token exchange ignored');
        return tokenExchangeResponse(200, value);
      case 'duplicate':
        // Another client's exchange of this card answered the user; this client learns its outcome.
        logger.info({ event: 'signin.tokenExchange.duplicate', status: result.status }, 'duplicate token exchange');
        return tokenExchangeResponse(result.status, value, result.failureDetail);
      case 'badRequest':
        logger.warn({ event: 'signin.tokenExchange.refused' }, result.failureDetail);
        return tokenExchangeResponse(400, value, result.failureDetail);
      case 'failed': {
        if (result.error.reason === 'configuration') {
          // Every user's exchange fails alike until an administrator mends the app's credentials.
          logger.error(
            { event: 'signin.tokenExchange.failed', reason: 'configuration' },
            "Microsoft Entra refused the app's own credentials (AAD_APP_CLIENT_SECRET wrong or expired, or AAD_APP_CLIENT_ID unknown to the tenant)",
          );
        } else {
          logger.warn({ event: 'signin.tokenExchange.failed', reason: result.error.reason }, 'token exchange failed');
        }
        if (result.notNoted) {
          logger.warn(
            { event: 'signin.tokenExchange.notNoted', reason: result.error.reason },
            'the state store did not take the reason of a failed token exchange; the sign-in still waits',
          );
        }
        // Told once per card: every other client of the user exchanges it too.
        if (result.told) return tokenExchangeResponse(412, value, result.failureDetail);
        const target = result.payload?.target ?? null;
        // No audit line: the command stays remembered (the card's Sign in, a later exchange) and
        // writes its one line when it ends, once it runs (contract §6).
        // The store did not note why for the start page: this card's link says it instead, or the
        // page would ask Entra plainly and a claims challenge would be lost.
        const card = result.notNoted ? signIn.cardForUnnotedFailure(result.id, result.error) : null;
        if (card) await sendSignInCard(ctx, card);
        else
          await sendReply(
            ctx,
            cards.signInProblem(result.error, target, result.payload?.pressed ? 'button' : 'command'),
          );
        return tokenExchangeResponse(412, value, result.failureDetail);
      }
    }
  }

  /**
   * After the sign-in pages: `value.state` is the one-time state the end page handed to Teams
   * (authentication.notifySuccess), or `CancelledByUser`. A valid state runs what waited for that
   * sign-in; an unknown, expired or foreign one is answered 4xx with a card that says what to do.
   * https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/auth-flow-bot
   */
  async verifyState(ctx: TurnContext): Promise<InvokeResponse> {
    const { signIn, cards, logger } = this.deps;
    const user = subjectOf(ctx.activity, this.deps.tenantId);
    const state = (ctx.activity.value as { state?: unknown } | undefined)?.state;
    if (state === 'CancelledByUser') {
      const pendingId = user ? await signIn.latestFor(user.aadObjectId) : null;
      if (!user || !pendingId) return { status: 404, body: { failureDetail: 'No sign-in is waiting for this user.' } };
      await signIn.forgetUser(user.aadObjectId, auditAbandoned(this.deps.governance, 'cancelled'));
      await sendReply(
        ctx,
        cards.info('Sign-in cancelled', `Nothing was done. When you are ready: ${AGAIN.toLowerCase()}.`),
      );
      return OK;
    }
    const outcome = await signIn.verify(state, user);
    if (outcome.kind === 'problem') {
      logger.warn({ event: 'signin.verifyState.refused', problem: outcome.problem }, 'sign-in state refused');
      const answer = VERIFY_PROBLEMS[outcome.problem];
      await sendReply(ctx, cards.info(answer.title, answer.text));
      return { status: answer.status, body: { failureDetail: answer.title } };
    }
    const aad = user?.aadObjectId ?? '';
    const payload = outcome.payload;
    if (!payload) {
      // Gone: it ran already (another of the user's clients or windows completed this sign-in
      // first: sending it again would run it twice), or it expired or a sign out forgot it.
      const said = outcome.ran ? SIGNED_IN_RAN : SIGNED_IN_GONE;
      logger.info(
        { event: 'signin.verifyState', outcome: outcome.ran ? 'ran' : 'gone' },
        'nothing waits for this sign-in',
      );
      await sendReply(ctx, cards.info('Signed in', said));
      return OK;
    }
    if (outcome.kind === 'tokenElsewhere') {
      // Another instance served the sign-in page and holds the token in its memory. Consent or
      // MFA is done now, so Teams' silent SSO succeeds: ask again, for the same waiting command.
      await sendSignInCard(ctx, signIn.oauthCard(outcome.id));
      return OK;
    }
    logger.info({ event: 'signin.verifyState', outcome: 'signedIn' }, 'signed in on the sign-in page');
    this.resume(payload, aad);
    return OK;
  }

  /** Runs what waited for the sign-in, in its conversation: the operation, the list's card, or the
   * page of a list card a button asked for. */
  private resume(pending: PendingCommand, aad: string): void {
    const { reference, userName } = pending;
    if (pending.target) {
      const target = pending.target;
      return resumeOperation(this.deps, pending, target, aad, (c) => this.deps.commands.run(c, target, aad, userName));
    }
    const lists = this.deps.lists;
    const page = pending.page;
    if (lists && page)
      void this.deps.later(reference, (c) => lists.pageAfterSignIn(c, { list: pending.list, ...page }, aad));
    else if (lists) void this.deps.later(reference, (c) => lists.post(c, pending.list, aad));
    else this.deps.logger.warn({ event: 'signin.list.unavailable' }, 'a list waited for sign-in, but lists are off');
  }

  /**
   * Teams reports that single sign-on failed on its side. The command this user typed in this
   * conversation stays waiting, and they get one Sign in card without SSO, which says why: its
   * button opens the bot's sign-in page, which works whatever Teams' SSO could not do. Teams may
   * send the failure from each of the user's clients: the card goes once per sign-in. In a group
   * chat or a channel every member's client tries the card of someone else's command too (and
   * fails when the app is not installed for them): nothing of theirs waits there, so nothing is
   * posted for everyone to read.
   */
  async failure(ctx: TurnContext): Promise<InvokeResponse> {
    const { signIn, cards, logger } = this.deps;
    const value = (ctx.activity.value ?? {}) as { code?: unknown };
    const raw = typeof value.code === 'string' ? value.code : '';
    // The code comes from the client: only a short plain word is logged or shown.
    const code = /^[A-Za-z0-9_-]{1,64}$/.test(raw) ? raw.toLowerCase() : 'unknown';
    logger.warn({ event: 'signin.failure', code }, 'Teams reported an SSO failure');
    const user = subjectOf(ctx.activity, this.deps.tenantId);
    const here = ctx.activity.conversation?.id;
    const pendingId = user
      ? await signIn.latestFor(user.aadObjectId, (p) => here !== undefined && p.reference.conversation?.id === here)
      : null;
    const said = FAILURE_ADVICE[code] ?? `Teams could not sign you in (${code}).`;
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
    const reason = FAILURE_REASON[code];
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
}

/** A conversation every member reads (a group chat or a channel), not a personal chat. */
function shared(ctx: TurnContext): boolean {
  const c = ctx.activity.conversation;
  return c?.isGroup === true || c?.conversationType === 'groupChat' || c?.conversationType === 'channel';
}
