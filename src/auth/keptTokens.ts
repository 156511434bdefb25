// The users' delegated tokens this instance keeps, and the two ways "sign out" must win over them:
// an on-behalf-of exchange still on its way when the user signs out keeps nothing, and a token
// kept from before a sign out on any instance (signOuts.ts) is dropped at its next use. The
// tokens themselves stay in UserTokenCache, in memory only.

import type { SignOutMarks } from './signOuts';
import { DelegatedToken, OboExchanger, UserTokenCache } from './tokens';

/** One on-behalf-of exchange (or end page's keep) on its way; a sign out of its user marks it overtaken. */
interface Exchange {
  overtaken: boolean;
}

export class KeptTokens {
  /** Exchanges on their way, per user (lower case). */
  private readonly inFlight = new Map<string, Set<Exchange>>();

  constructor(
    private readonly cache: UserTokenCache,
    private readonly exchanger: OboExchanger,
    /** Sign outs shared by every instance; null: a sign out reaches this instance only. */
    private readonly signOuts: SignOutMarks | null,
  ) {}

  /**
   * Exchanges the SSO token and keeps the result, unless the user signed out while Entra was
   * answering: then the token is dropped (false). Entra's refusal is thrown.
   */
  async exchange(aadObjectId: string, ssoToken: string): Promise<boolean> {
    return this.overtakable(aadObjectId, async (exchange) => {
      // Read before Entra is asked: a sign out on another instance meanwhile changes the mark.
      const signOutMark = await this.currentMark(aadObjectId);
      const token = await this.exchanger.exchange(ssoToken);
      if (exchange.overtaken) return false;
      this.cache.set(aadObjectId, { ...token, signOutMark });
      return true;
    });
  }

  /**
   * Keeps a token obtained otherwise while `wanted` still holds, under the sign-out mark read
   * before asking it (and handed to it, null without shared marks or before any sign out): a sign
   * out that `wanted` did not yet see makes the token unusable anyway, provided the sign out stops
   * what `wanted` asks about before it changes the mark (SignInFlow.forgetUser). A sign out here
   * while `wanted` is asked keeps nothing either.
   */
  async keepIf(
    aadObjectId: string,
    token: DelegatedToken,
    wanted: (signOutMark: string | null) => Promise<boolean>,
  ): Promise<boolean> {
    return this.overtakable(aadObjectId, async (keeping) => {
      const signOutMark = await this.currentMark(aadObjectId);
      if (!(await wanted(signOutMark)) || keeping.overtaken) return false;
      this.cache.set(aadObjectId, { ...token, signOutMark });
      return true;
    });
  }

  /**
   * The kept token, unless the user signed out (on any instance) since it was obtained. No mark
   * now means no sign out within the mark's lifetime, longer than any token lives: a mark that
   * expired since the token was obtained (the user signed in again after a sign out) keeps it.
   */
  async held(aadObjectId: string): Promise<string | null> {
    const entry = this.cache.entry(aadObjectId);
    if (!entry) return null;
    const current = await this.currentMark(aadObjectId);
    if (current !== null && current !== (entry.signOutMark ?? null)) {
      this.cache.forget(aadObjectId);
      return null;
    }
    return entry.token;
  }

  /** The kept token as it is in memory, without asking the shared state (within a turn that
   * already checked it with held). */
  cached(aadObjectId: string): string | null {
    return this.cache.get(aadObjectId);
  }

  /** The user signed out: nothing kept or on its way stays, here or, at its next use, elsewhere. */
  async signOut(aadObjectId: string): Promise<void> {
    for (const exchange of this.inFlight.get(aadObjectId.toLowerCase()) ?? []) exchange.overtaken = true;
    this.cache.forget(aadObjectId);
    await this.signOuts?.signedOut(aadObjectId);
  }

  /** Drops the token here only (Graph no longer accepts it). */
  forget(aadObjectId: string): void {
    this.cache.forget(aadObjectId);
  }

  /** Runs `work` as on its way for this user: a sign out here meanwhile marks it overtaken. */
  private async overtakable<R>(aadObjectId: string, work: (exchange: Exchange) => Promise<R>): Promise<R> {
    const key = aadObjectId.toLowerCase();
    const exchange: Exchange = { overtaken: false };
    const mine = this.inFlight.get(key) ?? new Set<Exchange>();
    mine.add(exchange);
    this.inFlight.set(key, mine);
    try {
      return await work(exchange);
    } finally {
      mine.delete(exchange);
      if (mine.size === 0 && this.inFlight.get(key) === mine) this.inFlight.delete(key);
    }
  }

  private async currentMark(aadObjectId: string): Promise<string | null> {
    return this.signOuts ? this.signOuts.current(aadObjectId) : null;
  }
}
