// A message turn's duplicate mark (state/turnDedup.ts), kept in the turn's state so the command
// path can say when the turn reaches work that must not run twice.

import type { TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { TurnDedup, TurnMark } from '../state/turnDedup';

export const TURN_MARK = Symbol('governanceBot.turnMark');

/** The message turn's mark, or undefined (an invoke, a turn run after sign-in, no mark written). */
export function turnMarkOf(ctx: TurnContext): TurnMark | undefined {
  return ctx.turnState.get(TURN_MARK) as TurnMark | undefined;
}

/** Called synchronously just before work that must not run twice: false when the turn was given
 * up at shutdown (its mark is gone and a redelivery runs it elsewhere), so that work must not start. */
export function keepTurn(ctx: TurnContext): boolean {
  return turnMarkOf(ctx)?.keep() ?? true;
}

/** Says the turn may give its mark back until it keeps it (TurnMark.mayGiveBack), and returns the
 * check to make synchronously just before its write (keepTurn); undefined for a turn with no mark
 * (an invoke, a turn run after sign-in), which is never given up. */
export function mayGiveBackUntilWrite(ctx: TurnContext): (() => boolean) | undefined {
  const mark = turnMarkOf(ctx);
  if (!mark) return undefined;
  mark.mayGiveBack();
  return () => mark.keep();
}

/** keepTurn, logging a turn given up at shutdown: it then does nothing more (sends nothing, writes
 * nothing), for its redelivery runs it elsewhere. */
export function stillRuns(ctx: TurnContext, logger: Logger): boolean {
  if (keepTurn(ctx)) return true;
  logger.info({ event: 'bot.turn.givenUp' }, 'turn given up at shutdown; left to its redelivery');
  return false;
}

/** For a turn given up at shutdown whose answer is ready: true when its redelivery has begun (its
 * activity was marked again), which answers, so this one need not; false when it has not or the
 * store cannot tell (the store closing at the stop), so the answer goes out. */
export async function answeredElsewhere(
  ctx: TurnContext,
  turns: Pick<TurnDedup, 'markedAgain'> | undefined,
): Promise<boolean> {
  const mark = turnMarkOf(ctx);
  if (!mark || !turns || mark.keep()) return false;
  return turns.markedAgain(mark).catch(() => false);
}

export type Standing = 'runs' | 'unanswered' | 'redelivered';

/** Where a turn stands once its work is done, for what it then says: 'runs' (not given up: it
 * answers as it would, keeping its mark from here); 'unanswered' (given up at shutdown and no
 * redelivery has begun, or the store cannot tell: Teams documents a retry of a turn slower than
 * 15 s, https://learn.microsoft.com/en-us/microsoftteams/platform/bots/bot-basics, not of one whose
 * connection a stop dropped, so it says what was not done rather than nothing); 'redelivered' (its
 * redelivery has begun and answers: it says nothing). */
export async function givenUpAnswer(
  ctx: TurnContext,
  turns: Pick<TurnDedup, 'markedAgain'> | undefined,
  logger: Logger,
): Promise<Standing> {
  if (keepTurn(ctx)) return 'runs';
  if (await answeredElsewhere(ctx, turns)) {
    logger.info({ event: 'bot.turn.givenUp' }, 'turn given up at shutdown; its redelivery answers');
    return 'redelivered';
  }
  logger.info({ event: 'bot.turn.givenUp' }, 'turn given up at shutdown; no redelivery has begun, it says so');
  return 'unanswered';
}
