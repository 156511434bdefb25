// The sign-in invokes of contract §5: signin/tokenExchange (run the remembered command after a
// successful exchange), signin/verifyState and signin/failure. Never a 5xx or a 501.

import { ConversationReference, InvokeResponse, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { SignInFlow } from '../auth/sso';
import { GovernanceService } from '../domain/governance';
import { CommandTurns, PendingCommand } from './commandTurns';
import { OK, tokenExchangeResponse } from './invokeResponses';
import { ReplyCards, sendReply, sendSignInCard } from './replies';
import { subjectOf } from './turnUser';

export interface SignInInvokeDeps {
  readonly signIn: SignInFlow<PendingCommand>;
  readonly governance: GovernanceService;
  readonly cards: ReplyCards;
  readonly logger: Logger;
  readonly tenantId: string;
  readonly commands: CommandTurns;
  /** Runs work in a conversation after the invoke was answered. */
  readonly later: (reference: Partial<ConversationReference>, logic: (ctx: TurnContext) => Promise<void>) => void;
}

const ADVICE: Readonly<Record<string, string>> = {
  resourcematchfailed:
    "Teams could not match the app's SSO resource. An administrator must make webApplicationInfo.resource in the app manifest equal the Entra app's Application ID URI (api://botid-<bot id>).",
  installedappnotfound: 'Install Governance Bot for yourself in Teams, then send the command again.',
  installappfailed: 'Install Governance Bot for yourself in Teams, then send the command again.',
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
        const { target, reference, userName } = result.payload;
        const aad = user?.aadObjectId ?? '';
        // Answer the invoke now; the command runs right after, in its conversation.
        this.deps.later(reference, (c) => this.deps.commands.run(c, target, aad, userName));
        return tokenExchangeResponse(200, value);
      }
      case 'ignored':
        logger.info({ event: 'signin.tokenExchange.ignored', why: result.why }, 'token exchange ignored');
        return tokenExchangeResponse(200, value);
      case 'badRequest':
        logger.warn({ event: 'signin.tokenExchange.refused' }, result.failureDetail);
        return tokenExchangeResponse(400, value, result.failureDetail);
      case 'failed': {
        logger.warn({ event: 'signin.tokenExchange.failed', reason: result.error.reason }, 'token exchange failed');
        const target = result.payload?.target ?? null;
        if (target && user) governance.recordRefusal(target, user.aadObjectId, result.error);
        await sendReply(ctx, cards.signInProblem(result.error, target));
        return tokenExchangeResponse(412, value, result.failureDetail);
      }
    }
  }

  async verifyState(ctx: TurnContext): Promise<InvokeResponse> {
    const { signIn, cards } = this.deps;
    const aad = ctx.activity.from?.aadObjectId;
    const state = (ctx.activity.value as { state?: unknown } | undefined)?.state;
    const pendingId = aad ? await signIn.latestFor(aad) : null;
    if (!aad || !pendingId) return { status: 404, body: { failureDetail: 'No sign-in is waiting for this user.' } };
    if (state === 'CancelledByUser') {
      await signIn.forgetUser(aad);
      await sendReply(
        ctx,
        cards.info('Sign-in cancelled', 'Nothing was done. Send the command again when you are ready.'),
      );
      return OK;
    }
    // After the user consented or completed MFA in the pop-up, Teams retries the silent exchange
    // when it sees the card again.
    await sendSignInCard(ctx, signIn.oauthCard(pendingId));
    return OK;
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
