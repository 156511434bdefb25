// Typed commands: parse, sign the user in (remembering the command: commandSignIn.ts), run it as
// them, answer once.

import type { TurnContext } from 'botbuilder';
import type { SignInFlow } from '../auth/sso';
import { systemClock } from '../domain/clock';
import { SignInRequiredError } from '../domain/errors';
import { Actor, Outcome } from '../domain/governance';
import { LastAnswer } from '../domain/lastAnswer';
import type { Target } from '../domain/operations';
import { channelOfTurn } from './alertChannel';
import { CommandText, withoutBotMentions } from './botMentions';
import { CommandSignIn } from './commandSignIn';
import { storeReference } from './commandStoreDown';
import { ParseResult, parseCommand } from './commands';
import { normalizeText } from './normalizeText';
import type { KeptAttempt, PendingCommand } from './pendingCommand';
import { askForHelp } from './personalChat';
import { answeredElsewhere, givenUpAnswer, keepTurn, turnMarkOf } from './turnMark';
import { typedAtOf } from './turnUser';
import { Reply, TYPING_AFTER_MS, TYPING_EVERY_MS, sendReply, withTyping } from './replies';
import { auditAbandoned } from './signInAbandoned';

export type { CommandDeps } from './commandSignIn';
export type { KeptAttempt, ListPageAsked, PendingCommand } from './pendingCommand';

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

const CHANNEL_ONLY = 'It works in a team channel only: add Governance Bot to a team, then @mention it in a channel.';

export class CommandTurns extends CommandSignIn {
  /** `said` and `parsed`: the message's text and its reading, when the caller has them already
   * (the router reads a typed command to route the lists), so a turn reads it once. */
  async handle(
    ctx: TurnContext,
    said: CommandText = withoutBotMentions(ctx.activity),
    parsed: ParseResult = parseCommand(said.text, said.botMentioned),
  ): Promise<void> {
    const { cards, demo } = this.deps;
    const activity = ctx.activity;
    const { text, botMentioned } = said;
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
    switch (parsed.kind) {
      case 'bad': {
        // Offered outside a channel, an alerts command would only meet "Alerts are set per channel".
        const where = parsed.channelOnly && !channelOfTurn(ctx) ? ` ${CHANNEL_ONLY}` : '';
        const bad = { ...parsed, problem: `${parsed.problem}${where}` };
        return answerOnly(ctx, cards.usage(bad, askForHelp(activity.conversation)));
      }
      case 'help':
        return answerOnly(ctx, cards.help());
      case 'signOut': {
        // Signing out twice ends as once (nothing waits, the token is retired, the mark replaced):
        // a stop that cuts it, even while it writes, gives its duplicate mark back, so a redelivery
        // signs out again elsewhere. The cut one still finishes its sign out: it says so, unless its
        // redelivery has begun and answers (turnMark.ts givenUpAnswer).
        turnMarkOf(ctx)?.mayGiveBack();
        const aad = activity.from?.aadObjectId;
        if (aad) await this.deps.signIn.forgetUser(aad, auditAbandoned(this.deps.governance, 'signedOut'));
        if ((await givenUpAnswer(ctx, this.deps.turns, this.deps.logger)) === 'redelivered') return;
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
        return this.operation(ctx, { ...parsed.target, typedAt: typedAtOf(activity, this.deps.clock ?? systemClock) });
      case 'alerts':
        if (this.deps.alerts) return this.deps.alerts.command(ctx, parsed);
        return sendReply(ctx, cards.info('Alerts are off', 'Channel alerts are not enabled on this bot.'));
    }
  }

  private async operation(ctx: TurnContext, target: Target): Promise<void> {
    const { governance } = this.deps;
    // Until its write starts (or it is kept for after sign-in), nothing of a typed command needs
    // its duplicate mark: a stop that cuts it gives the mark back, so a redelivery runs it elsewhere.
    turnMarkOf(ctx)?.mayGiveBack();
    return this.asSignedIn(
      ctx,
      target,
      (aad) => this.run(ctx, target, aad, ctx.activity.from?.name, true),
      // A store failure's line carries the reference the person was given (signInStoreError.ts).
      (aad, error) => governance.recordRefusal(target, aad, error, {}, undefined, storeReference(error) ?? undefined),
    );
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
      mayWrite: () => keepTurn(ctx),
    };
    const outcome = await withTyping(ctx, typing, logger, () =>
      governance.perform(target, actorFor(signIn, aad), extra, COMMAND_BUDGET_MS, answers, how),
    );
    if (!outcome.ok && outcome.error instanceof SignInRequiredError) {
      // Graph no longer accepts the token: drop it and ask again; the command runs after sign-in.
      signIn.forgetToken(aad);
      if (waits) {
        // Kept for after sign-in only by a turn still running: one given up at shutdown meanwhile
        // (its read was under way) is left to its redelivery, which runs the command elsewhere.
        if (!this.stillRuns(ctx)) return;
        const first = { correlationId: outcome.correlationId, lastAnswer: answers.last() };
        const refused = (who: string, e: SignInRequiredError) =>
          governance.recordRefusal(target, who, e, extra, answers, first.correlationId);
        return this.askOrRefuse(ctx, aad, target, undefined, refused, first);
      }
    }
    // Given up at shutdown (its read answered after): its redelivery, once begun, answers instead.
    if (await answeredElsewhere(ctx, this.deps.turns)) {
      logger.info({ event: 'bot.turn.givenUp' }, 'turn given up at shutdown; its redelivery answers');
      return;
    }
    await sendReply(ctx, cards.outcome(outcome, userName));
  }
}

/** An answer and nothing else (no state read or written, nothing sent before): sent twice it is
 * the same card twice, lost it is a command that got no answer, so a stop that cuts its send gives
 * the turn's duplicate mark back and Teams' redelivery answers again elsewhere. */
function answerOnly(ctx: TurnContext, reply: Reply): Promise<void> {
  turnMarkOf(ctx)?.mayGiveBack();
  return sendReply(ctx, reply);
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
