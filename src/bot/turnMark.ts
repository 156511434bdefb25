// A message turn's duplicate mark (state/turnDedup.ts), kept in the turn's state so the command
// path can say when the turn reaches work that must not run twice.

import type { TurnContext } from 'botbuilder';
import type { TurnMark } from '../state/turnDedup';

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
