// Logs a run of failures of one repeated call (the outbox's lease, polled about twice a second)
// without a line for each: the first failure at once (and the first of each other kind), then at
// most one line per interval while the failures last, with how many there were since the last
// line, and one line when a call succeeds again. A store outage of an hour is then some sixty
// lines, not seven thousand that bury every other log line and the alert that counts them.

import type { Logger } from 'pino';

/** At most one line per this while the failures last. */
export const OUTAGE_LOG_INTERVAL_MS = 60_000;

/** The kinds of failure of one run logged at once, at most. */
const MAX_KINDS = 5;

/** What tells one failure from another: its name, and its code or HTTP status. */
function errorKind(err: unknown): string {
  const e = (err ?? {}) as { name?: unknown; code?: unknown; statusCode?: unknown; status?: unknown };
  return `${String(e.name)}:${String(e.code ?? e.statusCode ?? e.status ?? '')}`;
}

export interface OutageLogOptions {
  readonly logger: Logger;
  /** The `event` of the lines: `<event>.failed`, `<event>.stillFailing`, `<event>.recovered`. */
  readonly event: string;
  /** What failed, as the first line says it ("the outbox could not be read"). */
  readonly what: string;
  readonly now: () => number;
}

export class OutageLog {
  /** When the first failure of the run happened; null while the call succeeds. */
  private since: number | null = null;
  private lastLine = 0;
  /** Failures since the last line. */
  private unreported = 0;
  /** The kinds of failure this run has logged (errorKind). */
  private readonly kinds = new Set<string>();

  constructor(private readonly opts: OutageLogOptions) {}

  failed(err: unknown): void {
    const { logger, event, what } = this.opts;
    const now = this.opts.now();
    const kind = errorKind(err);
    if (this.since === null) {
      this.since = now;
      this.lastLine = now;
      this.unreported = 0;
      this.kinds.clear();
      this.kinds.add(kind);
      logger.error({ err, event: `${event}.failed` }, what);
      return;
    }
    // A kind of failure the run has not shown yet (a 403 amid refused connections) is its own news:
    // the minute's line shows only the latest error, so it could otherwise go unseen. Only the
    // first few kinds: failures that differ every time must not bring back a line per poll.
    if (!this.kinds.has(kind) && this.kinds.size < MAX_KINDS) {
      this.kinds.add(kind);
      logger.error(
        { err, event: `${event}.failed`, failures: this.unreported, sinceMs: now - this.since },
        `${what} (another failure, ${this.unreported} more since the last line)`,
      );
      this.lastLine = now;
      this.unreported = 0;
      return;
    }
    this.unreported++;
    if (now - this.lastLine < OUTAGE_LOG_INTERVAL_MS) return;
    logger.error(
      { err, event: `${event}.stillFailing`, failures: this.unreported, sinceMs: now - this.since },
      `${what}: ${this.unreported} more failures since the last line`,
    );
    this.lastLine = now;
    this.unreported = 0;
  }

  succeeded(): void {
    if (this.since === null) return;
    const { logger, event } = this.opts;
    const now = this.opts.now();
    logger.info(
      { event: `${event}.recovered`, failures: this.unreported, outageMs: now - this.since },
      `works again after ${Math.round((now - this.since) / 1000)} s (${this.unreported} failures since the last line)`,
    );
    this.since = null;
    this.unreported = 0;
  }
}
