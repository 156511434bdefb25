// The sign-in invokes of contract §5: signin/tokenExchange (run the remembered command after a
// successful exchange), signin/verifyState and signin/failure (signInFailure.ts). Never a 5xx or a 501.

import { InvokeResponse, TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { SignInFlow } from '../auth/sso';
import type { VerifyProblem } from '../state/signInStates';
import type { CardClicks } from './cardClicks';
import { CommandTurns, PendingCommand } from './commandTurns';
import type { ListTurns } from './listTurns';
import type { GovernanceService } from '../domain/governance';
import { OK, tokenExchangeResponse } from './invokeResponses';
import { auditAbandoned, keptOf, resumeOperation } from './signInAbandoned';
import { AGAIN, answerFailure } from './signInFailure';
import { Later, ReplyCards, sendReply, sendSignInCard } from './replies';
import { loggedStoreFailure } from '../auth/signInStoreLog';
import { subjectOf } from './turnUser';
import { PRESS_ANSWERED } from './resentToken';
import { BadInputError } from '../domain/errors';
import { CATALOG, OPERATION_NAMES, Target } from '../domain/operations';
import type { BadCommand } from './grammar';
import { askForHelp } from './personalChat';
import { StoredVia, checkedStoredTarget, shownStoredId } from './storedTarget';

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
  readonly lists?: Pick<ListTurns, 'post' | 'pageAfterSignIn' | 'rowAfterSignIn'> | null;
  /** Runs work in a conversation after the invoke was answered. */
  readonly later: Later;
  /** Resumes a card's press that waited for sign-in as a click on its card (absent: as a command). */
  readonly clicks?: Pick<CardClicks, 'afterSignIn'> | null;
}

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
/** verifyState for a sign-in whose press was answered on its card without running (its checks
 * refused it when it came again with the SSO token): nothing ran, and nothing is to be sent again. */
const SIGNED_IN_ANSWERED = `You are signed in to Governance Bot. ${PRESS_ANSWERED}`;
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
        await this.resume(result.payload, user?.aadObjectId ?? '');
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
            "Microsoft Entra refused the app's own credentials or registration (AAD_APP_CLIENT_SECRET wrong or expired, AAD_APP_CLIENT_ID unknown to the tenant or disabled, or GRAPH_ENDPOINT not a resource the tenant knows)",
          );
        } else if (!loggedStoreFailure(logger, 'signin.tokenExchange.failed', result.error)) {
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
        // A command Graph refused the token of (401) went out once: its card does not say nothing was sent.
        const graphRefused = result.payload?.kept?.lastAnswer?.status === 401;
        if (card) await sendSignInCard(ctx, card);
        else
          await sendReply(
            ctx,
            cards.signInProblem(result.error, target, result.payload?.pressed ? 'button' : 'command', graphRefused),
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
      // A closed window is no sign out (only `sign out` forgets tokens, contract §3): the commands
      // that waited end, a token the user already holds stays, and no sign-out mark is written.
      await signIn.forgetWaiting(user.aadObjectId, auditAbandoned(this.deps.governance, 'cancelled'));
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
      const ended = outcome.answered ? 'answered' : outcome.ran ? 'ran' : 'gone';
      const said = { answered: SIGNED_IN_ANSWERED, ran: SIGNED_IN_RAN, gone: SIGNED_IN_GONE }[ended];
      logger.info({ event: 'signin.verifyState', outcome: ended }, 'nothing waits for this sign-in');
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
    await this.resume(payload, aad);
    return OK;
  }

  /** Runs what waited for the sign-in, in its conversation: the operation (a card's press as the
   * click on its card it was; a typed one as a command), the list's card, or the page of a list
   * card a button asked for. */
  private async resume(pending: PendingCommand, aad: string): Promise<void> {
    const { reference, userName } = pending;
    // Another of the user's clients may report a failure of its card afterwards: a late one.
    const here = reference.conversation?.id;
    if (here && aad) await this.deps.signIn.ranIn(aad, here);
    if (pending.target) {
      // Remembered by this or an older version: checked and cleaned as one given now.
      const via = !pending.pressed ? 'command' : pending.card?.list ? 'row' : 'card';
      const checked = checkedStoredTarget(pending.target, via);
      if (!checked.ok) return this.refuseStored(pending, aad, checked.bad, via);
      const target = checked.target;
      const { card } = pending;
      const { clicks, lists } = this.deps;
      // A press resumes as the click it was: a list row's on its list card, others on their card.
      const run =
        card?.list && lists
          ? (c: TurnContext) => lists.rowAfterSignIn(c, pending, target, card, aad)
          : card && !card.list && clicks
            ? (c: TurnContext) => clicks.afterSignIn(c, pending, target, card, aad)
            : (c: TurnContext) => this.deps.commands.run(c, target, aad, userName, false, pending.kept);
      return resumeOperation(this.deps, pending, target, aad, run);
    }
    const lists = this.deps.lists;
    const page = pending.page;
    if (lists && page)
      void this.deps.later(reference, (c) => lists.pageAfterSignIn(c, { list: pending.list, ...page }, aad));
    else if (lists) void this.deps.later(reference, (c) => lists.post(c, pending.list, aad));
    else this.deps.logger.warn({ event: 'signin.list.unavailable' }, 'a list waited for sign-in, but lists are off');
  }

  /**
   * A remembered command that no longer passes the checks of one given now (storedTarget.ts): it
   * ends with the refusal it would get typed (the usage card) or pressed (the button's), nothing
   * sent to Graph, and its one audit line says BAD_INPUT (its ids as a typed refusal shows them, clean
   * and short, no justification; a first attempt's id and Graph's answer to it when it kept one,
   * as every line of it does).
   */
  private refuseStored(pending: PendingCommand, aad: string, bad: BadCommand, via: StoredVia): void {
    const { cards, governance } = this.deps;
    const answer = (c: TurnContext) =>
      sendReply(
        c,
        via !== 'command'
          ? cards.info('That button did not work', bad.problem)
          : cards.usage(bad, askForHelp(c.activity.conversation)),
      );
    const stored = pending.target!;
    if (!(OPERATION_NAMES as readonly string[]).includes(stored.operation)) {
      // No operation to name: no line, as for a typed command that names none.
      void this.deps.later(pending.reference, answer);
      return;
    }
    const spec = CATALOG[stored.operation];
    const target: Target = {
      operation: stored.operation,
      ids: Object.fromEntries(spec.idNames.map((n) => [n, shownStoredId(stored.ids?.[n])])),
    };
    const extra = {
      via: via === 'command' ? 'chat' : 'card',
      ...(pending.userName ? { userName: pending.userName } : {}),
    };
    resumeOperation(this.deps, pending, target, aad, async (c) => {
      governance.recordRefusal(target, aad, new BadInputError(bad.problem, bad.usage), extra, ...keptOf(pending.kept));
      await answer(c);
    });
  }

  /** signin/failure: told once, with a Sign in card without SSO when a command waits (signInFailure.ts). */
  failure(ctx: TurnContext): Promise<InvokeResponse> {
    return answerFailure(this.deps, ctx);
  }
}
