// Logs a run of failures of one repeated call (the outbox's lease, polled about twice a second)
// without a line for each: the first failure at once, then at most one line per interval while
// the failures last, with how many there were since the last line, and one line when a call
// succeeds again. A store outage of an hour is then some sixty lines, not seven thousand that
// bury every other log line and the alert that counts them.

import type { Logger } from 'pino';

/** At most one line per this while the failures last. */
export const OUTAGE_LOG_INTERVAL_MS = 60_000;

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

  constructor(private readonly opts: OutageLogOptions) {}

  failed(err: unknown): void {
    const { logger, event, what } = this.opts;
    const now = this.opts.now();
    if (this.since === null) {
      this.since = now;
      this.lastLine = now;
      this.unreported = 0;
      logger.error({ err, event: `${event}.failed` }, what);
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
