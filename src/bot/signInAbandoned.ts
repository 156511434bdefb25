// The audit line of a remembered command that ends without running (contract §6: "Every valid
// command that names an operation writes one JSON line to stdout when it ends, whether Graph or
// the bot refused it"): forgotten by a sign out, by a sign-in cancelled in its window, or pushed
// out by newer commands of the same user. Its sign-in never completed, so the line says
// SIGN_IN_REQUIRED, with no Graph answer (none came) and why in `abandoned`. Only the caller that
// removed the waiting entry from the shared state is told of it (state/signInDrops.ts), so the
// line is written once however many instances race; a command that ran was taken instead, and
// writes its own line when it ends.

import { SignInRequiredError } from '../domain/errors';
import type { GovernanceService } from '../domain/governance';
import type { Forgotten } from '../state/signInDrops';
import type { PendingCommand } from './commandTurns';

/** Why a remembered command ended without running (the line's `abandoned`). */
export type Abandoned = 'signedOut' | 'cancelled' | 'replaced';

const SAID: Readonly<Record<Abandoned, string>> = {
  signedOut: 'You signed out before the sign-in finished, so the command was not run.',
  cancelled: 'The sign-in was cancelled, so the command was not run.',
  replaced: 'Newer commands waited for your sign-in, so this one was forgotten and not run.',
};

/** Writes the audit line of each remembered operation `why` forgot; a list waiting for sign-in
 * names no operation and writes none. */
export function auditAbandoned(
  governance: Pick<GovernanceService, 'recordRefusal'>,
  why: Abandoned,
): Forgotten<PendingCommand> {
  return (entry) => {
    const { target, pressed, userName } = entry.payload;
    if (!target) return;
    governance.recordRefusal(target, entry.aadObjectId, new SignInRequiredError(SAID[why], 'unknown'), {
      via: pressed ? 'card' : 'chat',
      abandoned: why,
      ...(userName ? { userName } : {}),
    });
  };
}
