// A typed command's sign-in: run it as the sender when a token is kept, else remember it (in the
// shared state) and send the OAuth card that runs it after sign-in, or a card that says why not.
// CommandTurns (commandTurns.ts) builds on it; the list and card-press turns ask it too.

import { TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { SignInFlow, cardReason, pageReason } from '../auth/sso';
import { claimsOf } from '../auth/tokens';
import type { AskedBy } from '../cards/signInWording';
import type { Clock } from '../domain/clock';
import { SignInRequiredError } from '../domain/errors';
import type { GovernanceService } from '../domain/governance';
import type { ListName } from '../domain/myWork';
import type { Target } from '../domain/operations';
import type { AlertTurns } from './alertTurns';
import { pressedCardOf } from './pressedCard';
import { ReplyCards, sendReply, sendSignInCard } from './replies';
import { SIGNED_OUT_WHILE_ASKED, auditAbandoned } from './signInAbandoned';
import { loggedStoreFailure } from '../auth/signInStoreLog';
import type { TokenResolution } from '../auth/signInResults';
import { storeDown } from './commandStoreDown';
import { givenUpAnswer, keepTurn, stillRuns } from './turnMark';
import { notPosted } from './listWords';
import type { TurnDedup } from '../state/turnDedup';
import { subjectOf, tenantOf } from './turnUser';
import type { KeptAttempt, ListPageAsked, PendingCommand, PendingWhere } from './pendingCommand';

/** A typed operation given up at shutdown before it ran, while no redelivery has begun. */
const NOT_RUN_AT_STOP =
  'Governance Bot was stopping before it ran this command, so nothing was changed. If no answer follows, send the command again in a moment.';

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
  /** The message turns' duplicate marks: whether a given-up turn's redelivery has begun. */
  readonly turns?: Pick<TurnDedup, 'markedAgain'>;
}

export class CommandSignIn {
  constructor(protected readonly deps: CommandDeps) {}

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
      // A read the stop cut (its store closing) is no outage to report: the command did not run.
      if (!keepTurn(ctx)) return this.givenUpBeforeRun(ctx, what);
      return storeDown(this.deps, ctx, user.aadObjectId, { what, e, refused });
    }
    // Whatever comes next but the command itself (kept for after sign-in, refused) keeps the
    // turn's duplicate mark; a turn given up at shutdown meanwhile is left to its redelivery.
    if (token.kind !== 'token' && !keepTurn(ctx)) return this.givenUpBeforeRun(ctx, what);
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
   * A turn given up at shutdown before its command ran: it runs nothing, and says so while no
   * redelivery has begun (turnMark.ts givenUpAnswer); once one has, that one answers.
   */
  private async givenUpBeforeRun(ctx: TurnContext, what: Target | ListName): Promise<void> {
    if ((await givenUpAnswer(ctx, this.deps.turns, this.deps.logger)) !== 'unanswered') return;
    if (typeof what === 'string') return sendReply(ctx, this.deps.cards.info('List not posted', notPosted(what)));
    return sendReply(ctx, this.deps.cards.info('Not run', NOT_RUN_AT_STOP));
  }

  /** False when the turn was given up at shutdown: it does nothing more (keepTurn). */
  stillRuns(ctx: TurnContext): boolean {
    return stillRuns(ctx, this.deps.logger);
  }

  /**
   * askToSignIn for a typed command, which the state store may fail to remember: the command then
   * ends, answered with a card that says to send it again in a moment and, for an operation, its
   * one audit line (`refused`), not a failed turn's plain text and no line.
   */
  protected async askOrRefuse(
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
    const words = failure ? cardReason(failure) : undefined;
    const claims = failure ? claimsOf(failure) : undefined;
    const tenantId = tenantOf(ctx.activity);
    const meta = {
      ...(tenantId ? { tenantId } : {}),
      ...(reason ? { reason } : {}),
      ...(words && words !== reason ? { cardReason: words } : {}),
      ...(claims ? { claims } : {}),
    };
    const ended = (why: 'replaced' | 'signedOut') => auditAbandoned(this.deps.governance, why);
    const { card, waits } = await this.deps.signIn.begin(aad, pending, meta, ended('replaced'), ended('signedOut'));
    return waits ? card : null;
  }
}
