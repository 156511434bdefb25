// "sign out" across instances. Tokens live only in the memory of the instance that obtained them,
// but any instance may take the user's "sign out". Each sign out writes a fresh mark for the user
// in the shared state; a kept token remembers the mark it was obtained under, and a token whose
// mark is no longer the user's current one is dropped, on whichever instance holds it. One state
// read per use of a kept token: the price of a sign out that means what it says.

import { randomUUID } from 'node:crypto';
import type { Records } from '../state/port';

/** At least as long as any delegated token lives (about an hour; a day at most with a configured
 * lifetime): when a mark expires, every token obtained before its sign out has expired too, so no
 * mark means no sign out a kept token must yield to (keptTokens.ts). */
const MARK_TTL_MS = 24 * 60 * 60_000;

const keyOf = (aadObjectId: string): string => `signin:signedOut:${aadObjectId.toLowerCase()}`;

export class SignOutMarks {
  constructor(private readonly records: Records) {}

  /** The user's current mark: null when they never signed out (or long ago). */
  async current(aadObjectId: string): Promise<string | null> {
    return (await this.records.get<string>(keyOf(aadObjectId)))?.value ?? null;
  }

  /** Records a sign out: every token obtained before it no longer matches. */
  async signedOut(aadObjectId: string): Promise<void> {
    await this.records.put(keyOf(aadObjectId), randomUUID(), { ttlMs: MARK_TTL_MS });
  }
}
