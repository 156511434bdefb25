// The Teams activity handler: turns activities into plain requests (a parsed command, a sign-in
// step), asks the governance service, and answers with cards. It is the one place that maps
// outcomes to replies; below it nobody knows botbuilder.

import {
  Activity,
  ActivityTypes,
  Attachment,
  ConversationReference,
  InvokeResponse,
  TeamsActivityHandler,
  TurnContext,
  teamsGetChannelId,
  teamsGetTeamInfo,
} from 'botbuilder';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import { ExchangeResult, SignInFlow } from '../auth/sso';
import { UserTokenCache } from '../auth/tokens';
import { DomainError, InvalidStateError, NotFoundError, SignInRequiredError } from '../domain/errors';
import { Actor, GovernanceService, Outcome } from '../domain/governance';
import { CATALOG, Target, doneWordOf, stateIn, targetIdOf } from '../domain/operations';
import { ConversationReferences } from '../notifications/store';
import { ClaimStore } from '../storage/claims';
import { ACT_VERB, parseButtonData } from './cardActions';
import { normalizeText, parseCommand } from './commands';

/** A card ready to send, with the one-line summary contract §6 asks for. */
export interface Reply {
  readonly attachment: Attachment;
  readonly summary: string;
}

/** The card vocabulary the handler needs; built from templates in cards/. */
export interface ReplyCards {
  help(): Reply;
  usage(problem: string, usage: string): Reply;
  outcome(outcome: Outcome, actorName: string | undefined): Reply;
  info(title: string, text: string): Reply;
  signInProblem(error: SignInRequiredError, target: Target | null): Reply;
  /** A card about one item: with buttons while actionable, without once settled. */
  item(
    target: Target,
    view: {
      text: string;
      notice?: string;
      noticeStyle?: 'good' | 'attention' | 'warning' | 'emphasis';
      settled: boolean;
    },
  ): Reply;
  /** Plain words for an error, for a notice on an item card. */
  errorWords(error: DomainError, target: Target): string;
}

export interface PendingCommand {
  readonly target: Target;
  readonly reference: Partial<ConversationReference>;
  readonly userName: string | undefined;
}

export type Proactive = (
  reference: Partial<ConversationReference>,
  logic: (ctx: TurnContext) => Promise<void>,
) => Promise<void>;

export interface GovernanceBotDeps {
  readonly governance: GovernanceService;
  readonly signIn: SignInFlow<PendingCommand>;
  readonly tokens: UserTokenCache;
  readonly cards: ReplyCards;
  readonly logger: Logger;
  readonly proactive: Proactive;
  /** Exactly-once claims for card buttons, on durable storage shared by every instance. */
  readonly claims: ClaimStore;
  /** Where proactive notifications can reach users and channels later. */
  readonly references: ConversationReferences;
  /** Sandbox only: the simulated tenant hands out the user's SSO token (the Playground has no SSO). */
  readonly sandboxSsoToken: ((aadObjectId: string) => Promise<string | null>) | null;
  /** Sandbox only: "demo" posts notification cards to the user through the real intake. */
  readonly sandboxDemo?: ((aadObjectId: string) => Promise<number>) | null;
  /** How often the typing indicator is renewed while Graph works. */
  readonly typingEveryMs?: number;
}

const SIGN_IN_SUMMARY = 'Sign in to Governance Bot to continue';

export class GovernanceBot extends TeamsActivityHandler {
  private readonly background = new Set<Promise<void>>();

  constructor(private readonly deps: GovernanceBotDeps) {
    super();
    this.onMessage(async (ctx, next) => {
      await this.remember(ctx);
      await this.handleMessage(ctx);
      await next();
    });
    this.onInstallationUpdateAdd(async (ctx, next) => {
      await this.remember(ctx);
      await next();
    });
    this.onMembersAdded(async (ctx, next) => {
      await this.remember(ctx);
      await next();
    });
    this.onInstallationUpdateRemove(async (ctx, next) => {
      const a = ctx.activity;
      await this.deps.references.forget(
        TurnContext.getConversationReference(a),
        a.from?.aadObjectId,
        teamsGetChannelId(a) ?? undefined,
        teamsGetTeamInfo(a)?.id ?? undefined,
      );
      await next();
    });
  }

  /** Resolves when work started after a turn (a command run after sign-in) has finished. */
  async idle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  protected override async onInvokeActivity(ctx: TurnContext): Promise<InvokeResponse> {
    switch (ctx.activity.name) {
      case 'signin/tokenExchange':
        return this.handleTokenExchange(ctx);
      case 'signin/verifyState':
        return this.handleVerifyState(ctx);
      case 'signin/failure':
        return this.handleSignInFailure(ctx);
      case 'adaptiveCard/action': {
        const value = (ctx.activity.value ?? {}) as { action?: { type?: unknown; verb?: unknown; data?: unknown } };
        if (value.action?.type !== 'Action.Execute' || value.action.verb !== ACT_VERB) {
          return cardError(400, 'NotSupported', 'This card action is not one Governance Bot knows.');
        }
        return (await this.handleCardAction(ctx, value.action.data, 'execute')) ?? { status: 200 };
      }
      default:
        return super.onInvokeActivity(ctx);
    }
  }

  /** Captures where this conversation can be reached later; a storage failure never fails the turn. */
  private async remember(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    try {
      await this.deps.references.remember(
        TurnContext.getConversationReference(a),
        a.from?.aadObjectId,
        teamsGetChannelId(a) ?? undefined,
        teamsGetTeamInfo(a)?.id ?? undefined,
      );
    } catch (e) {
      this.deps.logger.warn({ err: e, event: 'references.save.failed' }, 'could not save the conversation reference');
    }
  }

  private async handleMessage(ctx: TurnContext): Promise<void> {
    const activity = ctx.activity;
    const submitted = activity.value as { verb?: unknown } | undefined;
    if (!activity.text && submitted && typeof submitted === 'object' && submitted.verb === ACT_VERB) {
      // Action.Submit, the fallback of an Action.Execute button on older clients.
      await this.handleCardAction(ctx, submitted, 'submit');
      return;
    }
    const text = TurnContext.removeRecipientMention(activity) ?? activity.text ?? '';
    if (this.deps.sandboxDemo && activity.from?.aadObjectId && normalizeText(text).toLowerCase() === 'demo') {
      const n = await this.deps.sandboxDemo(activity.from.aadObjectId);
      await this.send(
        ctx,
        this.deps.cards.info(
          'Demo notifications on their way',
          `${n} notification cards will arrive here in a moment, as a Logic App or a governance watcher would send them. Press their buttons.`,
        ),
      );
      return;
    }
    const parsed = parseCommand(text);
    switch (parsed.kind) {
      case 'bad':
        await this.send(ctx, this.deps.cards.usage(parsed.problem, parsed.usage));
        return;
      case 'help':
        await this.send(ctx, this.deps.cards.help());
        return;
      case 'signOut': {
        const aad = activity.from?.aadObjectId;
        if (aad) {
          this.deps.tokens.forget(aad);
          this.deps.signIn.forgetUser(aad);
        }
        await this.send(
          ctx,
          this.deps.cards.info(
            'Signed out',
            'Governance Bot no longer holds a token for you. Your next command asks you to sign in again.',
          ),
        );
        return;
      }
      case 'operation':
        await this.handleOperation(ctx, parsed.target);
        return;
    }
  }

  private async handleOperation(ctx: TurnContext, target: Target): Promise<void> {
    const from = ctx.activity.from;
    const aad = from?.aadObjectId;
    if (!aad) {
      await this.send(
        ctx,
        this.deps.cards.info(
          'Who are you?',
          'This message did not say which Microsoft Entra user sent it, so I cannot act for you. Use the bot from Microsoft Teams.',
        ),
      );
      return;
    }
    let token = this.deps.tokens.get(aad);
    if (!token && this.deps.sandboxSsoToken) {
      token = await this.sandboxSignIn(ctx, aad, target);
      if (!token) return;
    }
    if (!token) {
      await this.askToSignIn(ctx, aad, target);
      return;
    }
    await this.runOperation(ctx, target, aad, from.name);
  }

  /** The sandbox stands in for Teams SSO; everything after the SSO token is the production path. */
  private async sandboxSignIn(ctx: TurnContext, aad: string, target: Target): Promise<string | null> {
    const source = this.deps.sandboxSsoToken;
    if (!source) return null;
    const sso = await source(aad);
    if (!sso) {
      await this.send(
        ctx,
        this.deps.cards.info(
          'Unknown user',
          'This user does not exist in the simulated tenant, so there is no one to act as.',
        ),
      );
      return null;
    }
    try {
      await this.deps.signIn.signInWith(aad, sso);
    } catch (e) {
      const error = e instanceof SignInRequiredError ? e : new SignInRequiredError('Sign-in did not complete.');
      this.deps.governance.recordRefusal(target, aad, error);
      await this.send(ctx, this.deps.cards.signInProblem(error, target));
      return null;
    }
    return this.deps.tokens.get(aad);
  }

  private async askToSignIn(ctx: TurnContext, aad: string, target: Target): Promise<void> {
    const pending: PendingCommand = {
      target,
      reference: TurnContext.getConversationReference(ctx.activity),
      userName: ctx.activity.from?.name,
    };
    const { card } = this.deps.signIn.begin(aad, pending);
    await ctx.sendActivity({ type: ActivityTypes.Message, attachments: [card], summary: SIGN_IN_SUMMARY });
  }

  /** The signed-in user as the governance service sees them: their id and their own token. */
  private actorFor(aad: string): Actor {
    return {
      aadObjectId: aad,
      getToken: async () => {
        const t = this.deps.tokens.get(aad);
        if (!t) throw new SignInRequiredError('Your sign-in expired.', 'expired');
        return t;
      },
    };
  }

  private async runOperation(
    ctx: TurnContext,
    target: Target,
    aad: string,
    userName: string | undefined,
  ): Promise<void> {
    const actor = this.actorFor(aad);
    const outcome = await this.withTyping(ctx, () => this.deps.governance.perform(target, actor));
    if (!outcome.ok && outcome.error instanceof SignInRequiredError) {
      // Graph no longer accepts the token: drop it and ask again; the command runs after sign-in.
      this.deps.tokens.forget(aad);
      if (!this.deps.sandboxSsoToken) {
        await this.askToSignIn(ctx, aad, target);
        return;
      }
    }
    await this.send(ctx, this.deps.cards.outcome(outcome, userName));
  }

  private async handleTokenExchange(ctx: TurnContext): Promise<InvokeResponse> {
    const value = (ctx.activity.value ?? {}) as Record<string, unknown>;
    const aad = ctx.activity.from?.aadObjectId;
    const result: ExchangeResult<PendingCommand> = await this.deps.signIn.exchange(value, aad);
    const body = {
      id: typeof value.id === 'string' ? value.id : '',
      connectionName: typeof value.connectionName === 'string' ? value.connectionName : '',
    };
    switch (result.kind) {
      case 'signedIn': {
        const { target, reference, userName } = result.payload;
        // Answer the invoke now; the command runs right after, in its conversation.
        this.runLater(reference, (c) => this.runOperation(c, target, aad ?? '', userName));
        return { status: 200, body };
      }
      case 'ignored':
        this.deps.logger.info({ event: 'signin.tokenExchange.ignored', why: result.why }, 'token exchange ignored');
        return { status: 200, body };
      case 'badRequest':
        return { status: 400, body: { ...body, failureDetail: result.failureDetail } };
      case 'failed': {
        this.deps.logger.warn(
          { event: 'signin.tokenExchange.failed', reason: result.error.reason },
          'token exchange failed',
        );
        const target = result.payload?.target ?? null;
        if (target && aad) this.deps.governance.recordRefusal(target, aad, result.error);
        await this.send(ctx, this.deps.cards.signInProblem(result.error, target));
        return { status: 412, body: { ...body, failureDetail: result.failureDetail } };
      }
    }
  }

  private async handleVerifyState(ctx: TurnContext): Promise<InvokeResponse> {
    const aad = ctx.activity.from?.aadObjectId;
    const state = (ctx.activity.value as { state?: unknown } | undefined)?.state;
    const pendingId = aad ? this.deps.signIn.latestFor(aad) : null;
    if (!pendingId) return { status: 404, body: { failureDetail: 'No sign-in is waiting for this user.' } };
    if (state === 'CancelledByUser') {
      if (aad) this.deps.signIn.forgetUser(aad);
      await this.send(
        ctx,
        this.deps.cards.info('Sign-in cancelled', 'Nothing was done. Send the command again when you are ready.'),
      );
      return { status: 200 };
    }
    // After the user consented or completed MFA in the pop-up, Teams retries the silent exchange
    // when it sees the card again.
    await ctx.sendActivity({
      type: ActivityTypes.Message,
      attachments: [this.deps.signIn.oauthCard(pendingId)],
      summary: SIGN_IN_SUMMARY,
    });
    return { status: 200 };
  }

  private async handleSignInFailure(ctx: TurnContext): Promise<InvokeResponse> {
    const value = (ctx.activity.value ?? {}) as { code?: unknown; message?: unknown };
    const code = typeof value.code === 'string' ? value.code.slice(0, 64) : 'unknown';
    this.deps.logger.warn({ event: 'signin.failure', code }, 'Teams reported an SSO failure');
    const advice: Record<string, string> = {
      resourcematchfailed:
        "Teams could not match the app's SSO resource. An administrator must make webApplicationInfo.resource in the app manifest equal the Entra app's Application ID URI (api://botid-<bot id>).",
      installedappnotfound: 'Install Governance Bot for yourself in Teams, then send the command again.',
      installappfailed: 'Install Governance Bot for yourself in Teams, then send the command again.',
    };
    await this.send(
      ctx,
      this.deps.cards.info(
        'Sign-in failed in Teams',
        advice[code.toLowerCase()] ??
          `Teams could not sign you in (${code}). Send the command again; if it keeps failing, sign out of Teams and back in.`,
      ),
    );
    return { status: 200 };
  }

  /**
   * A button on a card: the clicker's own token, Graph's current state first, one durable claim
   * per item so only one click ever writes, and the outcome shown to everyone in place.
   */
  private async handleCardAction(
    ctx: TurnContext,
    data: unknown,
    via: 'execute' | 'submit',
  ): Promise<InvokeResponse | undefined> {
    const parsed = parseButtonData(data);
    if (!parsed.ok) {
      if (via === 'execute') return cardError(400, 'BadRequest', parsed.problem);
      await this.send(ctx, this.deps.cards.info('That button did not work', parsed.problem));
      return undefined;
    }
    const target = parsed.target;
    const from = ctx.activity.from;
    const aad = from?.aadObjectId;
    if (!aad) return cardError(400, 'BadRequest', 'The click did not say which Entra user made it.');
    const activityId = ctx.activity.replyToId;
    const extra = { via: `card.${via}`, activityId: activityId ?? null };

    let token = this.deps.tokens.get(aad);
    const auth = (ctx.activity.value as { authentication?: { token?: unknown } } | undefined)?.authentication;
    if (!token && via === 'execute' && typeof auth?.token === 'string' && auth.token !== '') {
      // Teams re-sent the click with the SSO token after our login request.
      try {
        await this.deps.signIn.signInWith(aad, auth.token);
        token = this.deps.tokens.get(aad);
      } catch (e) {
        const error = e instanceof SignInRequiredError ? e : new SignInRequiredError('Sign-in did not complete.');
        this.deps.governance.recordRefusal(target, aad, error, extra);
        return {
          status: 412,
          body: {
            statusCode: 412,
            type: 'application/vnd.microsoft.error.preconditionFailed',
            value: { code: 'PreconditionFailed', message: this.deps.cards.errorWords(error, target) },
          },
        };
      }
    }
    if (!token && this.deps.sandboxSsoToken) {
      const sso = await this.deps.sandboxSsoToken(aad);
      if (sso) {
        try {
          await this.deps.signIn.signInWith(aad, sso);
          token = this.deps.tokens.get(aad);
        } catch (e) {
          const error = e instanceof SignInRequiredError ? e : new SignInRequiredError('Sign-in did not complete.');
          this.deps.governance.recordRefusal(target, aad, error, extra);
          return this.showToClicker(
            ctx,
            via,
            this.deps.cards.item(target, {
              text: this.titleText(target),
              notice: this.deps.cards.errorWords(error, target),
              noticeStyle: 'attention',
              settled: false,
            }),
          );
        }
      }
    }
    if (!token) {
      if (via === 'execute') {
        // Universal Actions sign-in: Teams runs SSO and re-sends this click with the token.
        const login = this.deps.signIn.oauthCard(randomUUID());
        return {
          status: 401,
          body: { statusCode: 401, type: 'application/vnd.microsoft.activity.loginRequest', value: login.content },
        };
      }
      await this.askToSignIn(ctx, aad, target);
      return undefined;
    }
    const actor = this.actorFor(aad);
    const spec = CATALOG[target.operation];
    const key = ClaimStore.keyOf(target.operation, targetIdOf(target));

    // A claim is the record of who acted through a card: show it rather than Graph's bare state.
    const known = await this.claimOutcome(key);
    if (known) {
      this.deps.governance.recordRefusal(target, aad, new InvalidStateError('Already done through this card.', null), {
        ...extra,
        alreadyDoneBy: known.byName ?? null,
      });
      return this.settleFromClaim(ctx, via, target, known);
    }

    // The card shows Graph's state, not the card's: read before acting.
    const read = await this.deps.governance.currentState(target, actor);
    if (read instanceof NotFoundError) {
      this.deps.governance.recordRefusal(target, aad, read, extra);
      return this.settleForEveryone(ctx, via, target, `This ${spec.noun} no longer exists.`, 'warning');
    }
    if (!(read instanceof DomainError) && read.state && !stateIn(read.state, spec.allowedStates)) {
      // A click on another instance may have just done it: its claim says who.
      const justDone = await this.claimOutcome(key);
      if (justDone) {
        this.deps.governance.recordRefusal(
          target,
          aad,
          new InvalidStateError('Already done through this card.', read.state, read.graph),
          extra,
        );
        return this.settleFromClaim(ctx, via, target, justDone);
      }
      this.deps.governance.recordRefusal(
        target,
        aad,
        new InvalidStateError('Not actionable.', read.state, read.graph),
        extra,
      );
      const done = stateIn(read.state, spec.doneStates);
      return this.settleForEveryone(
        ctx,
        via,
        target,
        done
          ? `Already ${read.state} elsewhere; nothing more to do.`
          : `It is ${read.state} now, so there is nothing to do here.`,
        done ? 'good' : 'warning',
      );
    }

    const userName = from.name ?? 'someone';
    const claim = await this.deps.claims.claim(key, { userId: aad, userName, ...(activityId ? { activityId } : {}) });
    if (!claim.won) {
      this.deps.governance.recordRefusal(target, aad, new InvalidStateError('Claimed by another click.', null), {
        ...extra,
        claimedBy: claim.record.holder.userId,
      });
      // Another click is acting right now (a double-click, a colleague, Teams re-sending a slow
      // invoke): its outcome is this clicker's answer too.
      const other = await this.claimOutcome(key);
      if (other) {
        return this.settleFromClaim(ctx, via, target, other);
      }
      return this.showToClicker(
        ctx,
        via,
        this.deps.cards.item(target, {
          text: `${claim.record.holder.userName ?? 'Someone'} is acting on this right now.`,
          settled: true,
          notice: 'Nothing was sent twice.',
          noticeStyle: 'emphasis',
        }),
      );
    }

    const outcome = await this.withTyping(ctx, () => this.deps.governance.perform(target, actor, extra));
    if (outcome.ok) {
      const at = new Date().toISOString().slice(11, 16);
      const summary = `${doneWord(target)} by ${userName} at ${at} UTC.`;
      await this.deps.claims.complete(key, claim.token, {
        outcome: 'succeeded',
        summary,
        at: new Date().toISOString(),
        byName: userName,
      });
      return this.settleForEveryone(ctx, via, target, summary, 'good');
    }
    await this.deps.claims.release(key, claim.token);
    if (outcome.error instanceof SignInRequiredError) this.deps.tokens.forget(aad);
    return this.showToClicker(
      ctx,
      via,
      this.deps.cards.item(target, {
        text: this.titleText(target),
        notice: this.deps.cards.errorWords(outcome.error, target),
        noticeStyle: 'attention',
        settled: false,
      }),
    );
  }

  /**
   * The outcome recorded by a claim on this item, waiting briefly (within the invoke budget) when
   * a click elsewhere is still acting; null when there is no claim or it did not finish in time.
   */
  private async claimOutcome(
    key: string,
  ): Promise<{ summary: string; outcome: 'succeeded' | 'failed'; byName?: string } | null> {
    let record = await this.deps.claims.get(key);
    for (let waited = 0; record?.state === 'inProgress' && waited < 4000; waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
      record = await this.deps.claims.get(key);
    }
    return record?.state === 'done' && record.outcome ? record.outcome : null;
  }

  private titleText(target: Target): string {
    return `${CATALOG[target.operation].title}.`;
  }

  /** Replaces the card in place for the whole conversation, and answers the click with it. */
  private async settleForEveryone(
    ctx: TurnContext,
    via: 'execute' | 'submit',
    target: Target,
    text: string,
    style: 'good' | 'warning',
  ): Promise<InvokeResponse | undefined> {
    const reply = this.deps.cards.item(target, { text, settled: true, notice: '', noticeStyle: style });
    const id = ctx.activity.replyToId;
    if (id) {
      try {
        await ctx.updateActivity({
          type: ActivityTypes.Message,
          id,
          attachments: [reply.attachment],
          summary: reply.summary,
        });
      } catch (e) {
        this.deps.logger.warn({ err: e, event: 'card.update.failed' }, 'could not update the card for everyone');
        if (via === 'submit') await this.send(ctx, reply);
      }
    } else if (via === 'submit') {
      await this.send(ctx, reply);
    }
    return via === 'execute' ? cardReply(reply) : undefined;
  }

  /** The card as a claim's recorded outcome left it, for everyone. */
  private settleFromClaim(
    ctx: TurnContext,
    via: 'execute' | 'submit',
    target: Target,
    outcome: { summary: string; outcome: 'succeeded' | 'failed' },
  ): Promise<InvokeResponse | undefined> {
    return this.settleForEveryone(
      ctx,
      via,
      target,
      outcome.summary,
      outcome.outcome === 'succeeded' ? 'good' : 'warning',
    );
  }

  /** Only the clicker sees this (an error to retry, or someone else's click in progress). */
  private async showToClicker(
    ctx: TurnContext,
    via: 'execute' | 'submit',
    reply: Reply,
  ): Promise<InvokeResponse | undefined> {
    if (via === 'execute') return cardReply(reply);
    await this.send(ctx, reply);
    return undefined;
  }

  private runLater(reference: Partial<ConversationReference>, logic: (ctx: TurnContext) => Promise<void>): void {
    const task = this.deps
      .proactive(reference, logic)
      .catch((e: unknown) =>
        this.deps.logger.error({ err: e, event: 'bot.background.failed' }, 'background turn failed'),
      )
      .finally(() => this.background.delete(task));
    this.background.add(task);
  }

  private async withTyping<T>(ctx: TurnContext, work: () => Promise<T>): Promise<T> {
    const every = this.deps.typingEveryMs ?? 3000;
    const typing = async (): Promise<void> => {
      try {
        await ctx.sendActivity({ type: ActivityTypes.Typing });
      } catch (e) {
        this.deps.logger.debug({ err: e }, 'typing indicator not sent');
      }
    };
    // The indicator goes out alongside the Graph call, not before it: it must not add a round trip.
    const sends = [typing()];
    const timer = setInterval(() => sends.push(typing()), every);
    try {
      return await work();
    } finally {
      clearInterval(timer);
      // Nothing may touch the turn after it ends: wait for indicators still in flight.
      await Promise.all(sends);
    }
  }

  private async send(ctx: TurnContext, reply: Reply): Promise<void> {
    const activity: Partial<Activity> = {
      type: ActivityTypes.Message,
      attachments: [reply.attachment],
      summary: reply.summary,
    };
    await ctx.sendActivity(activity);
  }
}

function cardReply(reply: Reply): InvokeResponse {
  return {
    status: 200,
    body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: reply.attachment.content },
  };
}

function cardError(status: number, code: string, message: string): InvokeResponse {
  return { status, body: { statusCode: status, type: 'application/vnd.microsoft.error', value: { code, message } } };
}

function doneWord(target: Target): string {
  return doneWordOf(target);
}
