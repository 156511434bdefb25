// Typed commands: parse, sign the user in (remembering the command), run it as them, answer once.

import { withoutBotMentions } from './botMentions';
import { TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { SignInFlow, pageReason } from '../auth/sso';
import { claimsOf } from '../auth/tokens';
import type { AskedBy } from '../cards/signInWording';
import { Clock, systemClock } from '../domain/clock';
import { SignInRequiredError } from '../domain/errors';
import { Actor, GovernanceService, Outcome } from '../domain/governance';
import { LastAnswer } from '../domain/lastAnswer';
import type { ListName } from '../domain/myWork';
import { Target } from '../domain/operations';
import type { AlertTurns } from './alertTurns';
import { parseCommand } from './commands';
import { normalizeText } from './normalizeText';
import { askForHelp } from './personalChat';
import { pressedCardOf } from './pressedCard';
import { ReplyCards, TYPING_AFTER_MS, TYPING_EVERY_MS, sendReply, sendSignInCard, withTyping } from './replies';
import { SIGNED_OUT_WHILE_ASKED, auditAbandoned } from './signInAbandoned';
import { loggedStoreFailure } from '../auth/signInStoreLog';
import type { TokenResolution } from '../auth/signInResults';
import { storeDown, storeReference } from './commandStoreDown';
import { subjectOf, tenantOf } from './turnUser';

/**
 * A typed command's one deadline, shared by every Graph call it makes (the reads before its write,
 * the write, the read after a lost answer and the one re-send): each call alone may take 30 s
 * (contract §4), so without it a command that chains them keeps its typer waiting for minutes. A
 * minute is what a person waits for a chat answer with the typing indicator on; a write that goes
 * out in it still has its own 30 s when the reads before it were quick. When it runs out, the
 * answer says whether anything may have been sent (governance.ts: "not sent", or "may or may not
 * have taken effect" with how to check), never that it was done.
 */
export const COMMAND_BUDGET_MS = 60_000;

import type { KeptAttempt, ListPageAsked, PendingCommand, PendingWhere } from './pendingCommand';
export type { KeptAttempt, ListPageAsked, PendingCommand } from './pendingCommand';

export interface CommandDeps {
  readonly governance: GovernanceService;
  readonly signIn: SignInFlow<PendingCommand>;
  readonly cards: ReplyCards;
  readonly logger: Logger;
  /** The SSO app's tenant, for activities that name none. */
  readonly tenantId: string;
  /** "demo" posts notification cards to the user (the sandbox offers it); how many were accepted. */
  readonly demo?: ((aadObjectId: string) => Promise<number>) | null;
  /** How often the typing indicator is renewed while Graph works. */
  readonly typingEveryMs?: number;
  /** How long Graph may take before the typing indicator shows (TYPING_AFTER_MS). */
  readonly typingAfterMs?: number;
  /** Times the typing indicator; the system clock by default. */
  readonly clock?: Clock;
  /** Channel alert commands (`alerts`, `alerts on|off <category>`). */
  readonly alerts?: Pick<AlertTurns, 'command'> | null;
}

export class CommandTurns {
  constructor(private readonly deps: CommandDeps) {}

  async handle(ctx: TurnContext): Promise<void> {
    const { cards, demo } = this.deps;
    const activity = ctx.activity;
    const { text, botMentioned } = withoutBotMentions(activity);
    if (demo && activity.from?.aadObjectId && normalizeText(text, botMentioned).toLowerCase() === 'demo') {
      const n = await demo(activity.from.aadObjectId);
      await sendReply(
        ctx,
        cards.info(
          'Demo notifications on their way',
          // They go to the typer's personal chat (and to the channels following their categories),
          // whichever conversation "demo" was typed in, and may be there before this reply.
          `${n} notification cards go to your personal chat with Governance Bot, and to the channels that follow their categories, as a Logic App or a governance watcher would send them. Press their buttons.`,
        ),
      );
      return;
    }
    const parsed = parseCommand(text, botMentioned);
    switch (parsed.kind) {
      case 'bad':
        return sendReply(ctx, cards.usage(parsed, askForHelp(activity.conversation)));
      case 'help':
        return sendReply(ctx, cards.help());
      case 'signOut': {
        const aad = activity.from?.aadObjectId;
        if (aad) await this.deps.signIn.forgetUser(aad, auditAbandoned(this.deps.governance, 'signedOut'));
        return sendReply(
          ctx,
          cards.info(
            'Signed out',
            // With Teams single sign-on the next sign-in is silent: promise no prompt either way.
            'Governance Bot no longer holds a token for you. Your next command signs you in again; Teams may do it without asking you.',
          ),
        );
      }
      case 'operation':
        return this.operation(ctx, { ...parsed.target, typedAt: (this.deps.clock ?? systemClock).now() });
      case 'alerts':
        if (this.deps.alerts) return this.deps.alerts.command(ctx, parsed);
        return sendReply(ctx, cards.info('Alerts are off', 'Channel alerts are not enabled on this bot.'));
    }
  }

  private async operation(ctx: TurnContext, target: Target): Promise<void> {
    const { governance } = this.deps;
    return this.asSignedIn(
      ctx,
      target,
      (aad) => this.run(ctx, target, aad, ctx.activity.from?.name, true),
      // A store failure's line carries the reference the person was given (signInStoreError.ts).
      (aad, error) => governance.recordRefusal(target, aad, error, {}, undefined, storeReference(error) ?? undefined),
    );
  }

  /**
   * Runs `act` as the sender once signed in. Otherwise the OAuth card that remembers `what` (an
   * operation or a list) and runs it after sign-in, or a card that says why not; `refused` hears a
   * sign-in that failed for good (the audit of an operation).
   */
  async asSignedIn(
    ctx: TurnContext,
    what: Target | ListName,
    act: (aad: string) => Promise<void>,
    refused?: (aad: string, error: SignInRequiredError) => void,
  ): Promise<void> {
    const { cards, signIn } = this.deps;
    const user = subjectOf(ctx.activity, this.deps.tenantId);
    if (!user) {
      return sendReply(
        ctx,
        cards.info(
          'Who are you?',
          'This message did not say which Microsoft Entra user sent it, so I cannot act for you. Use the bot from Microsoft Teams.',
        ),
      );
    }
    let token: TokenResolution;
    try {
      // Reads the user's sign-out mark in the shared state when a token is kept here.
      token = await signIn.tokenFor(user);
    } catch (e) {
      return storeDown(this.deps, ctx, user.aadObjectId, { what, e, refused });
    }
    switch (token.kind) {
      case 'token':
        return act(user.aadObjectId);
      case 'needed':
        return this.askOrRefuse(ctx, user.aadObjectId, what, undefined, refused);
      case 'unknownUser':
        return sendReply(
          ctx,
          cards.info('Unknown user', 'This user does not exist in the tenant, so there is no one to act as.'),
        );
      case 'failed': {
        // Consent or MFA is missing: the command waits, and the card's button opens the sign-in
        // page that asks for exactly that. Anything else is a refusal the user can read, with no
        // Sign in card and nothing waiting: its words say to send the command again.
        if (pageReason(token.error)) return this.askOrRefuse(ctx, user.aadObjectId, what, token.error, refused);
        loggedStoreFailure(this.deps.logger, 'command.signIn.failed', token.error);
        refused?.(user.aadObjectId, token.error);
        return sendReply(ctx, cards.signInProblem(token.error, typeof what === 'string' ? null : what, 'commandAlone'));
      }
    }
  }

  /**
   * askToSignIn for a typed command, which the state store may fail to remember: the command then
   * ends, answered with a card that says to send it again in a moment and, for an operation, its
   * one audit line (`refused`), not a failed turn's plain text and no line.
   */
  private async askOrRefuse(
    ctx: TurnContext,
    aad: string,
    what: Target | ListName,
    failure: SignInRequiredError | undefined,
    refused: ((aad: string, error: SignInRequiredError) => void) | undefined,
    kept?: KeptAttempt,
  ): Promise<void> {
    try {
      await this.askToSignIn(ctx, aad, what, failure, 'command', kept);
    } catch (e) {
      const graphRefused = kept?.lastAnswer?.status === 401;
      await storeDown(this.deps, ctx, aad, { what, e, refused, correlationId: kept?.correlationId, graphRefused });
    }
  }

  /**
   * Remembers the command (in the shared state) and sends the OAuth card; `failure` is why the
   * silent exchange already failed, if it did, so the sign-in page asks for consent or MFA.
   */
  async askToSignIn(
    ctx: TurnContext,
    aad: string,
    what: Target | ListName | ListPageAsked,
    failure?: SignInRequiredError,
    by: AskedBy = 'command',
    kept?: KeptAttempt,
  ): Promise<void> {
    const card = await this.signInCard(ctx, aad, what, failure, by, kept);
    if (card) return sendSignInCard(ctx, card);
    await sendReply(ctx, this.deps.cards.info('Not run', SIGNED_OUT_WHILE_ASKED));
  }

  /**
   * Remembers the command (an operation, a card click, a list, or a list card's page: `what`) of
   * this turn and returns the OAuth card for it; `by` says whether a button was pressed, for the
   * words of a failure. Null when a sign out forgot it as it was remembered: its line is written.
   */
  async signInCard(
    ctx: TurnContext,
    aad: string,
    what: Target | ListName | ListPageAsked,
    failure?: SignInRequiredError,
    by: AskedBy = 'command',
    kept?: KeptAttempt,
  ): Promise<{ contentType: string; content: object } | null> {
    const pressedCard =
      by === 'button' && typeof what === 'object' && 'operation' in what ? pressedCardOf(ctx.activity) : null;
    const where: PendingWhere = {
      reference: TurnContext.getConversationReference(ctx.activity),
      userName: ctx.activity.from?.name,
      ...(by === 'button' ? { pressed: true as const } : {}),
      ...(pressedCard ? { card: pressedCard } : {}),
      ...(kept ? { kept } : {}),
    };
    const pending: PendingCommand =
      typeof what === 'string'
        ? { ...where, list: what }
        : 'cardId' in what
          ? { ...where, list: what.list, page: { cardId: what.cardId, offset: what.offset } }
          : { ...where, target: what };
    const reason = failure ? pageReason(failure) : undefined;
    const claims = failure ? claimsOf(failure) : undefined;
    const tenantId = tenantOf(ctx.activity);
    const meta = { ...(tenantId ? { tenantId } : {}), ...(reason ? { reason } : {}), ...(claims ? { claims } : {}) };
    const ended = (why: 'replaced' | 'signedOut') => auditAbandoned(this.deps.governance, why);
    const { card, waits } = await this.deps.signIn.begin(aad, pending, meta, ended('replaced'), ended('signedOut'));
    return waits ? card : null;
  }

  /**
   * Runs the operation as the signed-in user and answers with its outcome. `askAgain`: a token
   * Graph refuses gets the Sign in card (a typed command); not for the run after a sign-in that
   * just completed, whose card Teams would exchange by itself again and again while Graph refuses.
   * `kept`: the first attempt of a command that waited for that sign-in (its line's id and answer).
   */
  async run(
    ctx: TurnContext,
    target: Target,
    aad: string,
    userName: string | undefined,
    askAgain = false,
    kept?: KeptAttempt,
  ): Promise<void> {
    const { governance, signIn, cards, logger } = this.deps;
    const typing = {
      afterMs: this.deps.typingAfterMs ?? TYPING_AFTER_MS,
      everyMs: this.deps.typingEveryMs ?? TYPING_EVERY_MS,
      clock: this.deps.clock ?? systemClock,
    };
    // The name goes with the audit line to the channels that follow actions taken through the bot.
    const extra = { via: 'chat', ...(userName ? { userName } : {}) };
    const answers = new LastAnswer();
    if (kept?.lastAnswer) answers.note(kept.lastAnswer);
    // A command asked to sign in again has not ended: its one line is written when it does.
    const waits = askAgain && !signIn.silent;
    const how = {
      ...(kept ? { correlationId: kept.correlationId } : {}),
      holdLine: (o: Outcome) => waits && !o.ok && o.error instanceof SignInRequiredError,
    };
    const outcome = await withTyping(ctx, typing, logger, () =>
      governance.perform(target, actorFor(signIn, aad), extra, COMMAND_BUDGET_MS, answers, how),
    );
    if (!outcome.ok && outcome.error instanceof SignInRequiredError) {
      // Graph no longer accepts the token: drop it and ask again; the command runs after sign-in.
      signIn.forgetToken(aad);
      if (waits) {
        const first = { correlationId: outcome.correlationId, lastAnswer: answers.last() };
        const refused = (who: string, e: SignInRequiredError) =>
          governance.recordRefusal(target, who, e, extra, answers, first.correlationId);
        return this.askOrRefuse(ctx, aad, target, undefined, refused, first);
      }
    }
    await sendReply(ctx, cards.outcome(outcome, userName));
  }
}

/** The signed-in user as the governance service sees them: their id and their own token. */
export function actorFor(signIn: SignInFlow<PendingCommand>, aad: string): Actor {
  return {
    aadObjectId: aad,
    getToken: async () => {
      const t = signIn.cachedToken(aad);
      if (!t) throw new SignInRequiredError('Your sign-in expired.', 'expired');
      return t;
    },
  };
}
