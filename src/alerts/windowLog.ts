// The arithmetic of sliding-window rate limits, pure. A log remembers the moments sends were (or
// will be) made: exact times for short windows, per-minute counts for the hour window (1,800 exact
// times per thread would make every shared record large), so a log stays small: at most the
// longest exact window's limit of times, plus about 61 buckets.
//
// A window of `windowMs` holding at most `limit` sends is read as: no two sends closer than
// `windowMs + marginMs` may have more than `limit` sends between them, inclusive. The margin
// absorbs the clock and network distance between deciding a send and Teams counting it. Buckets
// count conservatively (a bucket that touches the window counts whole), so the hour limit is never
// exceeded, at the cost of starting up to one bucket late near it.

export interface RateWindow {
  readonly limit: number;
  readonly windowMs: number;
}

export interface WindowLog {
  /** Exact send times, ascending. */
  readonly stamps: readonly number[];
  /** [bucket start, sends in the bucket], ascending, for windows longer than EXACT_MAX_MS. */
  readonly buckets: ReadonlyArray<readonly [number, number]>;
  /** No send before this time (a Retry-After from Teams). */
  readonly holdUntil: number;
}

const EXACT_MAX_MS = 60_000;
const BUCKET_MS = 60_000;
export const EMPTY_LOG: WindowLog = { stamps: [], buckets: [], holdUntil: 0 };

const exact = (windows: readonly RateWindow[]) => windows.filter((w) => w.windowMs <= EXACT_MAX_MS);
const bucketed = (windows: readonly RateWindow[]) => windows.filter((w) => w.windowMs > EXACT_MAX_MS);

/** May one more send happen at `t` without any window ever holding more than its limit? */
export function admits(log: WindowLog, windows: readonly RateWindow[], t: number, marginMs: number): boolean {
  if (t < log.holdUntil) return false;
  const s = log.stamps;
  for (const w of exact(windows)) {
    const span = w.windowMs + marginMs;
    // Every window that would contain t starts at t or at an earlier send within span of t.
    const starts = [t, ...s.filter((e) => e > t - span && e <= t)];
    for (const a of starts) {
      let inside = 1;
      for (const e of s) if (e >= a && e < a + span) inside++;
      if (inside > w.limit) return false;
    }
  }
  for (const w of bucketed(windows)) {
    let inside = 1;
    for (const [start, count] of log.buckets) {
      if (start + BUCKET_MS > t - w.windowMs - marginMs && start < t + w.windowMs + marginMs) inside += count;
    }
    if (inside > w.limit) return false;
  }
  return true;
}

/** The earliest moment at or after `from` when one more send is admitted. Feasibility only turns
 * from no to yes when an earlier send leaves a window, so those moments are the only candidates. */
export function earliest(log: WindowLog, windows: readonly RateWindow[], from: number, marginMs: number): number {
  const base = Math.max(from, log.holdUntil);
  const candidates = new Set<number>([base]);
  for (const w of exact(windows)) for (const e of log.stamps) candidates.add(e + w.windowMs + marginMs);
  for (const w of bucketed(windows)) {
    for (const [start] of log.buckets) candidates.add(start + BUCKET_MS + w.windowMs + marginMs);
  }
  const ordered = [...candidates].filter((c) => c >= base).sort((a, b) => a - b);
  for (const t of ordered) if (admits(log, windows, t, marginMs)) return t;
  // Unreachable with limits >= 1: past the last candidate every window is empty.
  return ordered[ordered.length - 1]! + 1;
}

/** The log with one more send at `t`, forgetting what no moment at or after `now` can count. */
export function withSend(log: WindowLog, windows: readonly RateWindow[], t: number, now: number): WindowLog {
  const stamps = [...log.stamps, t].sort((a, b) => a - b);
  let buckets = log.buckets.map(([s, c]) => [s, c] as [number, number]);
  if (bucketed(windows).length > 0) {
    const start = Math.floor(t / BUCKET_MS) * BUCKET_MS;
    const hit = buckets.find(([s]) => s === start);
    if (hit) hit[1]++;
    else buckets = [...buckets, [start, 1] as [number, number]].sort((a, b) => a[0] - b[0]);
  }
  return pruned({ stamps, buckets, holdUntil: log.holdUntil }, windows, now);
}

/** The log without one send at `t` (a reservation given back). */
export function withoutSend(log: WindowLog, t: number): WindowLog {
  const i = log.stamps.indexOf(t);
  const stamps = i < 0 ? log.stamps : [...log.stamps.slice(0, i), ...log.stamps.slice(i + 1)];
  const start = Math.floor(t / BUCKET_MS) * BUCKET_MS;
  const buckets = log.buckets.map(([s, c]) => [s, s === start && i >= 0 ? c - 1 : c] as const).filter(([, c]) => c > 0);
  return { stamps, buckets, holdUntil: log.holdUntil };
}

/** Stamps older than the longest exact window plus this are forgotten: no moment at or after `now`
 * can count them (the margin is milliseconds; this also covers clock skew between instances). A
 * log kept for a minute more held 1,800 stamps per tenant, rewritten and rescanned on every send. */
export const PRUNE_SLACK_MS = 5_000;

export function pruned(log: WindowLog, windows: readonly RateWindow[], now: number): WindowLog {
  const longestExact = Math.max(0, ...exact(windows).map((w) => w.windowMs)) + PRUNE_SLACK_MS;
  const longestBucketed = Math.max(0, ...bucketed(windows).map((w) => w.windowMs)) + BUCKET_MS;
  return {
    stamps: log.stamps.filter((e) => e > now - longestExact),
    buckets: log.buckets.filter(([s]) => s + BUCKET_MS > now - longestBucketed),
    holdUntil: log.holdUntil > now ? log.holdUntil : 0,
  };
}

/** True when the log no longer constrains anything at or after `now` (safe to forget). */
export function isIdle(log: WindowLog, windows: readonly RateWindow[], now: number): boolean {
  const p = pruned(log, windows, now);
  return p.stamps.length === 0 && p.buckets.length === 0 && p.holdUntil === 0;
}
