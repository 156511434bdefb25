// The waiting sign-in of a press that Teams re-sent with the presser's SSO token after the bot
// answered it with a loginRequest (Universal Actions): the re-sent press runs at once, so what
// waited for it is taken first. Taken before the press runs, durably (one compare and swap): an
// instance that dies between leaves an unanswered press, which Teams shows as failed and the user
// presses again, and never a command that a later token exchange, the sign-in pages or the
// periodic pass could run again or end a second time (contract §6: one audit line per command).
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/sso-adaptive-cards-universal-action

import { randomUUID } from 'node:crypto';
import { SignInRequiredError } from '../domain/errors';
import { StateUnavailableError } from '../state/port';
import type { PendingSignIns } from '../state/signIns';
import { SignInStoreError } from './signInStoreError';
import type { Subject } from './tokenSubject';

/** `taken` (the press runs), `ran` (another client's exchange or the sign-in pages ran it: it must
 * not run again), `answered` (an earlier sending of it was answered without running), `none`
 * (nothing of this press waits under that id), or the store failed. */
export type ResentTake =
  | { readonly kind: 'taken' | 'ran' | 'answered' | 'none' }
  | { readonly kind: 'failed'; readonly error: SignInRequiredError };

export async function takeResent<T>(
  pending: PendingSignIns<T>,
  id: string,
  user: Subject,
  matches: (payload: T) => boolean,
  here: string | undefined,
  answered = false,
): Promise<ResentTake> {
  // The take names itself in the mark it leaves, so that it can tell its own write from another's.
  const by = randomUUID();
  let taken;
  try {
    taken = await pending.takeFor(id, user.aadObjectId, matches, answered, by);
  } catch (e) {
    if (!(e instanceof StateUnavailableError)) throw e;
    // A write that landed and was reported failed (an answer lost on its way back) left this
    // take's mark: read again, the press is taken after all, and must not be left to nobody.
    // Otherwise, or when the store cannot say either (a write refused is most likely not stored),
    // nothing was taken: the press stays remembered by its sign-in (whose Sign in button runs it
    // once, or the periodic pass ends it with its one audit line).
    const again = await pending.lookupFor(id, user.aadObjectId).catch(() => null);
    if (!again || again.entry || again.by !== by) return { kind: 'failed', error: new SignInStoreError(e) };
    taken = again;
  }
  if (!taken.entry && taken.by !== by) {
    return { kind: 'answered' in taken && taken.answered ? 'answered' : taken.ran ? 'ran' : 'none' };
  }
  // Another of the user's clients may report a failure of that card afterwards: a late one, for a
  // press that ran (signInFailure.ts). Best effort: the press runs either way.
  if (here) await pending.failures.answered(user.aadObjectId, here).catch(() => undefined);
  return { kind: 'taken' };
}
