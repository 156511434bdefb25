// A typed command the bot's own state store failed before it could run (the user's sign-out mark
// not read, the command not remembered for its sign-in): the command ends there. It is answered
// with a card, as every command is, that says to send it again in a moment (never that it was
// done, nor to sign in afresh), and an operation writes its one audit line, SIGN_IN_REQUIRED with
// the reference the person was given as its correlation id (contract §6).

import type { TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { SignInStoreError } from '../auth/signInStoreError';
import { loggedStoreFailure } from '../auth/signInStoreLog';
import type { SignInRequiredError } from '../domain/errors';
import type { ListName } from '../domain/myWork';
import type { Target } from '../domain/operations';
import { StateUnavailableError } from '../state/port';
import { ReplyCards, sendReply } from './replies';

export interface StoreDown {
  readonly what: Target | ListName;
  /** What was thrown: anything but a StateUnavailableError is thrown again. */
  readonly e: unknown;
  /** Writes an operation's audit line. */
  readonly refused: ((aad: string, error: SignInRequiredError) => void) | undefined;
  /** The command's correlation id when it has one already (a first attempt's). */
  readonly correlationId?: string | undefined;
}

export async function storeDown(
  deps: { readonly cards: ReplyCards; readonly logger: Logger },
  ctx: TurnContext,
  aad: string,
  down: StoreDown,
): Promise<void> {
  if (!(down.e instanceof StateUnavailableError)) throw down.e;
  const error = new SignInStoreError(down.e, down.correlationId);
  loggedStoreFailure(deps.logger, 'command.signIn.failed', error);
  down.refused?.(aad, error);
  const target = typeof down.what === 'string' ? null : down.what;
  // A first attempt kept means Graph was sent the command and refused its token (401).
  const graphRefused = down.correlationId !== undefined;
  await sendReply(ctx, deps.cards.signInProblem(error, target, 'commandAlone', graphRefused));
}

/** The reference of a sign-in the state store failed (signInStoreError.ts), null for others. */
export function storeReference(error: SignInRequiredError): string | null {
  return error instanceof SignInStoreError ? (error.correlationId ?? null) : null;
}
