// A poison row: one whose handling throws on every pass (a fault in the worker for this one event,
// not a refusal by Teams, which delivery.ts reads and settles). Left alone it comes back after
// every lease, for ever, the event queued for ever. So a row whose handling threw on its
// MAX_ROW_LEASES-th lease or later is set aside: a direct notification's is dead-lettered here as
// an undeliverable event is (the outcome on the record, which GET reports, the row removed, a line
// at error level); a channel alert's as the fan-out gives up on a channel (poisonAlertRow.ts).
//
// The count is the row's leases (SQLite's attempt count, Queue Storage's dequeueCount:
// https://learn.microsoft.com/en-us/rest/api/storageservices/get-messages), which ordinary waits
// raise too: every Retry-After or backoff (up to maxAttempts sends), a send slot further than 2 s
// away, or another row's claim gives the row back to be leased again. So the cap is judged only
// when a handling threw, and is well above those leases. A store that cannot be reached
// (StateUnavailableError) is not the row's fault and never dead-letters it, nor does shutdown.
// Nor is an event set aside while its card may be in the chat (deadLetter below).

import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { StateUnavailableError } from '../state/port';
import { Row } from './sendClaim';
import { NotificationStore } from './store';

/** The lease of a row from which a throwing handling dead-letters it: far above what retries,
 * pacing and claim waits give back (a few per send, at most 6 sends). */
export const MAX_ROW_LEASES = 20;

/** What judges whether a failed pass makes its row poison. */
export interface PoisonJudge {
  readonly logger: Logger;
  readonly maxRowLeases: number;
  /** Aborted at shutdown: a handling cut short by it is no fault of the row. */
  readonly signal: AbortSignal;
}

export interface PoisonContext extends PoisonJudge {
  readonly store: NotificationStore;
  readonly now: () => number;
  /** How long the claim taken to set an event aside holds (the worker's claims' length). */
  readonly claimMs: number;
  /** Whether this instance remembers a post of the event (of that acceptance) not yet written. */
  readonly posted: (eventId: string, acceptedAt: string) => boolean;
  /** The holder of the claim a post of the event was sent under, once that post is no longer
   * held (a day old): its next write renews that claim, so it is ended before the event is set
   * aside, or the set-aside would wait on it for ever. */
  readonly expiredHolder?: (eventId: string) => string | undefined;
}

/** Sets a poison row aside: writes what giving up means for its work, removes the row, logs one
 * line at error level (with no stack: the failed pass's own line has it). `own`: the send claim
 * the failed pass took and sent nothing under, if any (see handleOrSetAside). */
export type SetAside = (row: Row, error: unknown, own: string | undefined) => Promise<void>;

/** Why a dead-lettered event (or channel post) was not delivered (no error text: it may name a
 * file). `what`: what the bot was doing. */
export const poisonReason = (leases: number, what = 'handling this event'): string =>
  `Governance Bot failed while ${what}, ${leases} times; it will not try again. ` +
  "An administrator finds the error in the bot's log under this eventId.";

/** The kind of error a pass failed with, for the dead-letter line (its text may name a file). */
export const errorTypeOf = (error: unknown): string => (error instanceof Error ? error.name : typeof error);

/** Runs `handle` on the row; when it throws on a row leased maxRowLeases times or more, the row
 * is set aside by `setAside` before the error goes on up (to be logged with its stack, as every
 * failed pass is). */
export async function handleOrSetAside(
  judge: PoisonJudge,
  row: Row,
  handle: (row: Row, claimed: (holder: string | undefined) => void) => Promise<void>,
  setAside: SetAside,
): Promise<void> {
  // The holder of the send claim this handling took and sent nothing under (undefined once a send
  // began: a card may have been posted, and the claim then waits for the row's next pass).
  let own: string | undefined;
  try {
    await handle(row, (holder) => (own = holder));
  } catch (e) {
    if (row.attempts >= judge.maxRowLeases && !(e instanceof StateUnavailableError) && !judge.signal.aborted) {
      await setAside(row, e, own).catch((failed: unknown) =>
        judge.logger.warn(
          { err: failed, event: 'notification.deadLetter.failed', eventId: row.payload.eventId },
          'a notification that failed on every try could not be set aside; its row comes back after its lease',
        ),
      );
    }
    throw e;
  }
}

/** handleOrSetAside for a direct notification's row: the event dead-lettered (below). */
export const handleOrDeadLetter = (
  ctx: PoisonContext,
  row: Row,
  handle: (row: Row, claimed: (holder: string | undefined) => void) => Promise<void>,
): Promise<void> => handleOrSetAside(ctx, row, handle, (r, e, own) => deadLetter(ctx, r, e, own));

/** The claim this pass took (`own`) is ended first: no send is under way under it. A post of the
 * event this instance remembers (Teams accepted it, its outcome could not be written) holds the
 * event: its card is in the chat whoever holds the claim now (its own may have run out), so it is
 * not settled undeliverable; the row comes back and writes it. Then the event is claimed, as a
 * send would: a live claim is then a send under way (another row's, on another instance, that
 * claimed after this pass read the record), whose card may be posting now, so the event is not
 * settled under it either; the row comes back after its lease and is set aside then if it throws
 * again. Then the outcome (only over a record still queued), then the row: a failure in between
 * leaves the row to come back and find the event settled, or claimed by no one once the claim
 * runs out. */
async function deadLetter(ctx: PoisonContext, row: Row, error: unknown, own: string | undefined): Promise<void> {
  const { store, logger } = ctx;
  const eventId = row.payload.eventId;
  if (own !== undefined) await store.unclaim(eventId, own);
  // Read first, not claimed: a claim taken here would be one the remembered post's next write
  // cannot renew. A record that cannot be read is for the claim below to judge.
  const record = await store.get(eventId).catch(() => null);
  const remembered = record?.state === 'queued' && ctx.posted(eventId, record.acceptedAt);
  const expired = remembered ? undefined : ctx.expiredHolder?.(eventId);
  if (expired !== undefined) await store.unclaim(eventId, expired);
  const claimed = remembered ? null : await store.claim(eventId, randomUUID(), ctx.now(), ctx.claimMs);
  if (claimed === null || claimed.kind === 'wait') {
    logger.warn(
      { event: 'notification.deadLetter.deferred', eventId, leases: row.attempts, remembered },
      remembered
        ? 'a notification that failed on every try was posted here and its outcome is not written yet; not set aside now'
        : 'a notification that failed on every try is being sent or waited on elsewhere; not set aside now',
    );
    return;
  }
  const reason = poisonReason(row.attempts);
  // The sends already tried stay counted. A category event handed to its channels (published) is
  // settled, and stays as it is: its channels report it.
  const settled =
    claimed.kind === 'claimed' &&
    (await store.finish(eventId, { state: 'undeliverable', reason }, claimed.record.attempts, ctx.now()));
  await store.outbox.complete(row);
  logger.error(
    {
      event: 'notification.deadLetter',
      eventId,
      leases: row.attempts,
      errorType: errorTypeOf(error),
      settled,
    },
    settled
      ? 'a notification whose handling failed on every try is undeliverable; not tried again'
      : 'the outbox row of a settled notification failed on every try; removed',
  );
}
