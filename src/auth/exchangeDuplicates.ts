// Teams sends signin/tokenExchange from every client of the user that shows the OAuth card, all
// with the card's id, and expects the bot to de-duplicate them:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code
// Exactly one exchanges (the pending sign-in is taken once, in the shared state). A duplicate that
// arrives on this instance while that exchange is on its way waits for it and gets the same answer:
// after a failure every client must get the 412 that makes it show the Sign in button, not a 200
// that hides it. And a failed exchange is explained to the user once per card, however many
// clients (or later renderings of the card) exchange it again.
// In memory: a duplicate that reaches another instance mid-exchange waits there for the shared
// state to say how the exchange ended (tokenExchange.ts leaseOrWait).

/** How long a failed exchange id is remembered: as long as a pending sign-in lives. */
const FAILED_TTL_MS = 15 * 60_000;

export class ExchangeDuplicates<R> {
  /** Per user and id: another member's exchange of the same card (a group chat shows it to all)
   * must neither replace nor end the user's own, which their other clients wait for. */
  private readonly inFlight = new Map<string, Promise<R>>();
  /** Ids and reasons of failures the user was told about, with when that is forgotten (insertion order). */
  private readonly failed = new Map<string, number>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxFailed = 10_000,
  ) {}

  /** The exchange of this id on its way for this user, if any. */
  running(id: string, aadObjectId: string): Promise<R> | null {
    return this.inFlight.get(inFlightKey(id, aadObjectId)) ?? null;
  }

  /** Registers `work` as the exchange of this id until it settles; call in the same tick as running. */
  track(id: string, aadObjectId: string, work: Promise<R>): Promise<R> {
    const key = inFlightKey(id, aadObjectId);
    this.inFlight.set(key, work);
    const forget = () => {
      if (this.inFlight.get(key) === work) this.inFlight.delete(key);
    };
    work.then(forget, forget);
    return work;
  }

  /**
   * Records a failure of this id: true the first time for this reason (the user must be told),
   * false after. A failure for another reason (MFA once consent was given) is news to the user.
   */
  firstFailure(id: string, reason: string): boolean {
    const now = this.now();
    for (const [key, until] of this.failed) {
      if (until > now && this.failed.size < this.maxFailed) break;
      this.failed.delete(key);
    }
    const key = `${reason}\n${id}`;
    const seen = (this.failed.get(key) ?? 0) > now;
    this.failed.delete(key);
    this.failed.set(key, now + FAILED_TTL_MS);
    return !seen;
  }
}

function inFlightKey(id: string, aadObjectId: string): string {
  return `${aadObjectId.toLowerCase()}\n${id}`;
}
