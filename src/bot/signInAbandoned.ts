// The audit line of a remembered command that ends without running (contract §6: "Every valid
// command that names an operation writes one JSON line to stdout when it ends, whether Graph or
// the bot refused it"): forgotten by a sign out, by a sign-in cancelled in its window, pushed out
// by newer commands of the same user, or ended by the periodic pass when its time to wait was over
// (state/signInExpiry.ts). Its sign-in never completed, so the line says SIGN_IN_REQUIRED, with no
// Graph answer (none came; one asked to sign in again after Graph refused its token keeps that
// answer, and that attempt's correlation id) and why in `abandoned`; one taken to run whose turn
// never started says UPSTREAM. Only the caller that removed the waiting entry from the shared state is told of it
// (state/signInDrops.ts), so the line is written once however many instances race; a command that
// ran was taken instead, and writes its own line when it ends.

import type { TurnContext } from 'botbuilder';
import { NotSentError, SignInRequiredError } from '../domain/errors';
import type { GovernanceService } from '../domain/governance';
import type { Logger } from 'pino';
import type { Forgotten } from '../state/signInDrops';
import type { PendingSignIns } from '../state/signIns';
import type { Target } from '../domain/operations';
import type { KeptAttempt, PendingCommand } from './pendingCommand';
import { LastAnswer } from '../domain/lastAnswer';
import type { Later } from './replies';

/** Why a remembered command ended without running (the line's `abandoned`). */
export type Abandoned = 'signedOut' | 'cancelled' | 'replaced' | 'expired';

const SAID: Readonly<Record<Abandoned, string>> = {
  signedOut: 'You signed out before the sign-in finished, so the command was not run.',
  cancelled: 'The sign-in was cancelled, so the command was not run.',
  replaced: 'Newer commands waited for your sign-in, so this one was forgotten and not run.',
  expired: 'The sign-in did not complete in time, so the command was not run.',
};

/** What the person is told instead of a Sign in card when the command was forgotten as it was
 * remembered (state/signIns.ts add): by a sign out of theirs on any instance (its line says
 * signedOut) or, rarer, by newer commands of theirs in the same moment (replaced). One sentence
 * true of both, so no one who did not sign out is told they did. */
export const SIGNED_OUT_WHILE_ASKED =
  'This command ended before its sign-in could start (you signed out, or newer commands of yours took its place), ' +
  'so it was not run. Send the command, or press the button, again to run it.';

/** Writes the audit line of each remembered operation `why` forgot (`expired` when its time to
 * wait was over by then, whoever forgot it); a list waiting for sign-in names no operation and
 * writes none. */
export function auditAbandoned(
  governance: Pick<GovernanceService, 'recordRefusal'>,
  why: Abandoned,
): Forgotten<PendingCommand> {
  return (entry, expired) => {
    const { target, pressed, userName, kept } = entry.payload;
    if (!target) return;
    const ended = expired ? 'expired' : why;
    const error = new SignInRequiredError(SAID[ended], 'unknown');
    const extra = { via: pressed ? 'card' : 'chat', abandoned: ended, ...(userName ? { userName } : {}) };
    governance.recordRefusal(target, entry.aadObjectId, error, extra, ...keptOf(kept));
  };
}

/** A command asked to sign in again after Graph refused its token (commandTurns.ts run): its line
 * keeps that first attempt's correlation id and, as no later answer came, Graph's answer to it. */
export function keptOf(kept: KeptAttempt | undefined): [LastAnswer | undefined, string | undefined] {
  if (!kept) return [undefined, undefined];
  const answers = new LastAnswer();
  if (kept.lastAnswer) answers.note(kept.lastAnswer);
  return [answers, kept.correlationId];
}

/**
 * Runs a remembered operation that this caller took to run, in its conversation (`later`). When
 * its turn never starts (the conversation could not be continued: Teams, or the bot's own token,
 * out of reach), the command has ended without running, and nothing will run it: taken, it no
 * longer waits. Its line then says UPSTREAM with `abandoned: "notStarted"`; once the turn starts,
 * the run writes the line.
 */
export function resumeOperation(
  deps: { readonly later: Later; readonly governance: Pick<GovernanceService, 'recordRefusal'> },
  pending: PendingCommand,
  target: Target,
  aad: string,
  run: (ctx: TurnContext) => Promise<void>,
): void {
  let started = false;
  const turn = deps.later(pending.reference, (ctx) => {
    started = true;
    return run(ctx);
  });
  void turn.then(() => {
    if (started) return;
    // Never run: nothing it would send went out, so its line never says mayHaveTakenEffect.
    const error = new NotSentError('The command could not be run in its conversation. Send it again.');
    const extra = {
      via: pending.pressed ? 'card' : 'chat',
      abandoned: 'notStarted',
      ...(pending.userName ? { userName: pending.userName } : {}),
    };
    deps.governance.recordRefusal(target, aad, error, extra, ...keptOf(pending.kept));
  });
}

/**
 * The periodic pass's sweep of expired state (notifications/periodicJob.ts), which first ends the
 * remembered commands whose sign-in did not complete in time, each with its audit line, then
 * deletes expired records: how many in all. A failure of the first is logged (as a stop, not a
 * failure, once `stop` aborted) and does not keep the sweep from running; the next pass reads the
 * same stretch again.
 */
export function sweepWithExpiredSignIns(
  pending: Pick<PendingSignIns<PendingCommand>, 'endExpired'>,
  governance: Pick<GovernanceService, 'recordRefusal'>,
  sweep: (stop?: AbortSignal) => Promise<number>,
  logger: Logger,
): (stop?: AbortSignal) => Promise<number> {
  const ended = auditAbandoned(governance, 'expired');
  return async (stop) => {
    const expired = await pending.endExpired(ended, stop).catch((e: unknown) => {
      // Cut short by the stop (a store closing at shutdown may throw): no failure, as for the sweep.
      if (stop?.aborted)
        logger.info(
          { err: e, event: 'signin.expiry.stopped' },
          'the end of expired sign-ins stopped; the next pass goes on',
        );
      else logger.warn({ err: e, event: 'signin.expiry.failed' }, 'could not end the sign-ins whose time ran out');
      return 0;
    });
    return expired + (await sweep(stop));
  };
}
