// Marks in the shared state that de-duplicate Teams' signin/failure reports: Teams sends the same
// failure from each client of the user that tries a card's single sign-on, on any instance, and
// the user is told once per card. Only ids, users and conversations; never a token.
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/authentication/bot-sso-code

import type { Records } from './port';

const FAILURE_TOLD = 'signin-failure-told:';
const FAILURE_HERE = 'signin-failure-here:';
const FAILURE_LONE = 'signin-failure-lone:';
/** How long a report of a failure with nothing waiting stands for the same report from the user's
 * other clients: they report within moments of each other. */
const LONE_FAILURE_MS = 5 * 60_000;

/** Undoes a mark, for when what it stands for was not sent: a later report then sends it. */
export type UndoMark = () => Promise<boolean>;

export class SignInFailureMarks {
  constructor(
    private readonly records: Records,
    /** As long as a sign-in waits. */
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  /**
   * The first report, on any instance, of a failure of the card `cardId` of this user's waiting
   * sign-in `pendingId` (a record created once, for as long as a sign-in waits): its undo. Null
   * after. Per card, not per sign-in: a card sent again for the same sign-in (moveTo) is a new
   * single sign-on attempt, and its failure is news to the user.
   */
  async firstReport(
    cardId: string,
    pendingId: string,
    aadObjectId: string,
    conversationId: string,
  ): Promise<UndoMark | null> {
    const key = `${FAILURE_TOLD}${aadObjectId.toLowerCase()}:${cardId}`;
    const version = await this.records.create(key, { at: this.now() }, { ttlMs: this.ttlMs });
    if (version === null) return null;
    // The user's other clients may report the same failure after the command ran (seenIn).
    await this.records.put(
      `${FAILURE_HERE}${aadObjectId.toLowerCase()}:${conversationId}`,
      { id: pendingId },
      { ttlMs: this.ttlMs },
    );
    return () => this.records.delete(key, version);
  }

  /** Lets the next report of a failure of the card `cardId` be told again: that card was sent
   * again as it was, and Teams tries its single sign-on anew. */
  async forget(cardId: string, aadObjectId: string): Promise<void> {
    await this.records.delete(`${FAILURE_TOLD}${aadObjectId.toLowerCase()}:${cardId}`);
  }

  /**
   * The first report, on any instance, of the failure `code` for this user in this conversation
   * with nothing waiting for them there (a record created once, for a few minutes): the undo of
   * that mark, for when the explanation it leads to is not sent. Null after: Teams sends the same
   * failure from each of the user's clients.
   */
  async firstLoneReport(aadObjectId: string, conversationId: string, code: string): Promise<UndoMark | null> {
    const key = `${FAILURE_LONE}${aadObjectId.toLowerCase()}:${code}:${conversationId}`;
    const version = await this.records.create(key, { at: this.now() }, { ttlMs: LONE_FAILURE_MS });
    return version === null ? null : () => this.records.delete(key, version);
  }

  /**
   * A sign-in of this user in this conversation completed and its command runs now (a token
   * exchange, the sign-in pages, a press re-sent with the SSO token): a failure another of the
   * user's clients reports of that card afterwards is a late one (seenIn), not news that calls for
   * sending the command again, which would run it twice.
   */
  async answered(aadObjectId: string, conversationId: string): Promise<void> {
    const key = `${FAILURE_HERE}${aadObjectId.toLowerCase()}:${conversationId}`;
    await this.records.put(key, { at: this.now() }, { ttlMs: this.ttlMs });
  }

  /** True when a failure of a sign-in of this user in this conversation was reported lately, or a
   * sign-in completed here (answered): a report with nothing waiting is then a late one from
   * another client, not a new failure. */
  async seenIn(aadObjectId: string, conversationId: string): Promise<boolean> {
    return (await this.records.get(`${FAILURE_HERE}${aadObjectId.toLowerCase()}:${conversationId}`)) !== null;
  }
}
