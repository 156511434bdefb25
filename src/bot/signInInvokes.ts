// The sign-in invokes of contract §5: signin/tokenExchange (run the remembered command after a
// successful exchange), signin/verifyState and signin/failure. Never a 5xx or a 501.

import { InvokeResponse, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { SignInFlow } from '../auth/sso';
import type { VerifyProblem } from '../state/signInStates';
import { GovernanceService } from '../domain/governance';
import { CommandTurns, PendingCommand } from './commandTurns';
import type { ListTurns } from './listTurns';
import { OK, tokenExchangeResponse } from './invokeResponses';
import { Later, ReplyCards, sendReply, sendSignInCard } from './replies';
import { subjectOf } from './turnUser';

export interface SignInInvokeDeps {
  readonly signIn: SignInFlow<PendingCommand>;
  readonly governance: GovernanceService;
  readonly cards: ReplyCards;
  readonly logger: Logger;
  readonly tenantId: string;
  readonly commands: CommandTurns;
  /** Posts a list that waited for sign-in (absent: lists are off in this deployment). */
  readonly lists?: Pick<ListTurns, 'post'> | null;
  /** Runs work in a conversation after the invoke was answered. */
  readonly later: Later;
}

const ADVICE: Readonly<Record<string, string>> = {
  resourcematchfailed:
    "Teams could not match the app's SSO resource. An administrator must make webApplicationInfo.resource in the app manifest equal the Entra app's Application ID URI (api://botid-<bot id>).",
  installedappnotfound: 'Install Governance Bot for yourself in Teams, then send the command again.',
  installappfailed: 'Install Governance Bot for yourself in Teams, then send the command again.',
};

const VERIFY_PROBLEMS: Readonly<Record<VerifyProblem, { status: number; title: string; text: string }>> = {
  unknown: {
    status: 404,
    title: 'This sign-in is no longer valid',
    text: 'It was already used, or it did not come from Governance Bot. Nothing was done. Send your command again and select Sign in on the new card.',
  },
  expired: {
    status: 410,
    title: 'This sign-in took too long',
    text: 'Nothing was done. Send your command again and complete the sign-in within a few minutes.',
  },
  otherUser: {
    status: 403,
    title: 'This sign-in belongs to someone else',
    text: 'Nothing was done. Send the command yourself and select Sign in on the card Governance Bot sends you.',
  },
};

export class SignInInvokes {
  constructor(private readonly deps: SignInInvokeDeps) {}

  async tokenExchange(ctx: TurnContext): Promise<InvokeResponse> {
    const { signIn, logger, governance, cards } = this.deps;
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
        // Told once per card: every other client of the user exchanges it too.
        if (result.told) return tokenExchangeResponse(412, value, result.failureDetail);
        const target = result.payload?.target ?? null;
        if (target && user) governance.recordRefusal(target, user.aadObjectId, result.error);
        await sendReply(ctx, cards.signInProblem(result.error, target));
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
      await signIn.forgetUser(user.aadObjectId);
      await sendReply(
        ctx,
        cards.info('Sign-in cancelled', 'Nothing was done. Send the command again when you are ready.'),
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
      await sendReply(ctx, cards.info('Signed in', 'You are signed in to Governance Bot. Send your command again.'));
      return OK;
    }
    if (outcome.kind === 'tokenElsewhere') {
      // Another instance served the sign-in page and holds the token in its memory. Consent or
      // MFA is done now, so Teams' silent SSO succeeds: ask again, with the same command.
      const { card } = await signIn.begin(aad, payload);
      await sendSignInCard(ctx, card);
      return OK;
    }
    logger.info({ event: 'signin.verifyState', outcome: 'signedIn' }, 'signed in on the sign-in page');
    this.resume(payload, aad);
    return OK;
  }

  /** Runs what waited for the sign-in, in its conversation: the operation, or the list's card. */
  private resume(pending: PendingCommand, aad: string): void {
    const { reference, userName } = pending;
    if (pending.target) {
      const target = pending.target;
      this.deps.later(reference, (c) => this.deps.commands.run(c, target, aad, userName));
      return;
    }
    const lists = this.deps.lists;
    if (lists) this.deps.later(reference, (c) => lists.post(c, pending.list, aad));
    else this.deps.logger.warn({ event: 'signin.list.unavailable' }, 'a list waited for sign-in, but lists are off');
  }

  async failure(ctx: TurnContext): Promise<InvokeResponse> {
    const value = (ctx.activity.value ?? {}) as { code?: unknown };
    const code = typeof value.code === 'string' ? value.code.slice(0, 64) : 'unknown';
    this.deps.logger.warn({ event: 'signin.failure', code }, 'Teams reported an SSO failure');
    await sendReply(
      ctx,
      this.deps.cards.info(
        'Sign-in failed in Teams',
        ADVICE[code.toLowerCase()] ??
          `Teams could not sign you in (${code}). Send the command again; if it keeps failing, sign out of Teams and back in.`,
      ),
    );
    return OK;
  }
}
