// When may the next send to a Teams thread go? Teams limits what a bot sends
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/rate-limit, as summarised
// in ../shared/reference/teams-platform.md §4): per bot per thread, sends and conversation
// creations at most 7 per 1 s, 8 per 2 s, 60 per 30 s and 1,800 per 3,600 s; per app per tenant,
// 30 requests per second (the Q&A answers quote 50; design for 30).
//
// The scheduler reserves a moment for each send in two logs, the thread's and the tenant's, held
// in a LogStore: in memory for one process, or records on the state port (one per thread and one
// per tenant, written with updateRecord) so every instance shares the same windows. The caller
// waits until the reserved moment, then sends. A reservation never used (a crash) only wastes a
// slot. A 429 from Teams holds the thread (or the tenant) until its Retry-After.

import { Records, StateUnavailableError } from '../state/port';
import { updateRecord } from '../state/update';
import { EMPTY_LOG, RateWindow, WindowLog, admits, earliest, isIdle, withSend, withoutSend } from './windowLog';

export const THREAD_SEND_LIMITS: readonly RateWindow[] = [
  { limit: 7, windowMs: 1_000 },
  { limit: 8, windowMs: 2_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1_800, windowMs: 3_600_000 },
];
export const TENANT_LIMITS: readonly RateWindow[] = [{ limit: 30, windowMs: 1_000 }];

/** Sends a reservation leaves free in each of the thread's and the tenant's windows: work that can
 * wait (the edits of a card's other copies) keeps room for sends that cannot (the clicked card's
 * own edit, a turn's answer). A window of limit 1 (the even spacing) keeps its 1. */
export interface Headroom {
  readonly thread: number;
  readonly tenant: number;
}

const lowered = (windows: readonly RateWindow[], room: number): readonly RateWindow[] =>
  room > 0 ? windows.map((w) => ({ ...w, limit: Math.max(1, w.limit - room) })) : windows;

/** Atomic read-modify-write of one log. `change` may run more than once (on a conflict); the
 * result of the run that was written is returned. */
export interface LogStore {
  update<R>(
    key: string,
    change: (log: WindowLog) => { readonly log: WindowLog | null; readonly result: R },
  ): Promise<R>;
}

/** One process: a bounded map. Idle logs are dropped first; beyond `maxLogs` the least recently
 * used goes (at worst Teams then answers 429 and the send is retried). */
export class MemoryLogStore implements LogStore {
  private readonly logs = new Map<string, WindowLog>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxLogs = 10_000,
    private readonly windowsOf: (key: string) => readonly RateWindow[] = () => THREAD_SEND_LIMITS,
  ) {}

  async update<R>(key: string, change: (log: WindowLog) => { log: WindowLog | null; result: R }): Promise<R> {
    const { log, result } = change(this.logs.get(key) ?? EMPTY_LOG);
    if (log) {
      this.logs.delete(key);
      this.logs.set(key, log);
      if (this.logs.size > this.maxLogs) this.evict();
    }
    return result;
  }

  get size(): number {
    return this.logs.size;
  }

  private evict(): void {
    const now = this.now();
    for (const [key, log] of this.logs) if (isIdle(log, this.windowsOf(key), now)) this.logs.delete(key);
    for (const key of this.logs.keys()) {
      if (this.logs.size <= this.maxLogs) break;
      this.logs.delete(key);
    }
  }
}

/** Several instances: one record per log on the state port, expiring an hour after its last send. */
export class RecordsLogStore implements LogStore {
  constructor(private readonly records: Records) {}

  async update<R>(key: string, change: (log: WindowLog) => { log: WindowLog | null; result: R }): Promise<R> {
    let result: R | undefined;
    await updateRecord<WindowLog>(
      this.records,
      key,
      (cur) => {
        const decided = change(cur ?? EMPTY_LOG);
        result = decided.result;
        return decided.log ? { next: decided.log } : 'keep';
      },
      { ttlMs: 3_600_000 + 120_000 },
    );
    return result as R;
  }
}

export interface SchedulerOptions {
  readonly store: LogStore;
  readonly now?: () => number;
  /** Extra distance kept between sends that share a window (clock and network skew). */
  readonly marginMs?: number;
  readonly threadLimits?: readonly RateWindow[];
  readonly tenantLimits?: readonly RateWindow[];
}

export class SendScheduler {
  private readonly now: () => number;
  private readonly margin: number;
  private readonly thread: readonly RateWindow[];
  private readonly tenant: readonly RateWindow[];

  constructor(private readonly opts: SchedulerOptions) {
    this.now = opts.now ?? Date.now;
    this.margin = opts.marginMs ?? 20;
    this.thread = opts.threadLimits ?? THREAD_SEND_LIMITS;
    this.tenant = opts.tenantLimits ?? TENANT_LIMITS;
  }

  // A tenant GUID comes from the configuration and from Teams' references, each in its own case:
  // one tenant, one set of windows.
  static threadKey(tenantId: string, threadId: string): string {
    return `alerts:rate:thread:${tenantId.toLowerCase()}:${threadId.split(';')[0]}`;
  }

  static tenantKey(tenantId: string): string {
    return `alerts:rate:tenant:${tenantId.toLowerCase()}`;
  }

  /** Reserves the earliest moment (epoch ms, >= now) at which one send to `threadId` keeps within
   * the thread's and the tenant's limits (less `room`, when given). The caller sends at that
   * moment, not before. */
  async reserve(tenantId: string, threadId: string, room?: Headroom): Promise<number> {
    const threadKey = SendScheduler.threadKey(tenantId, threadId);
    const tenantKey = SendScheduler.tenantKey(tenantId);
    const thread = lowered(this.thread, room?.thread ?? 0);
    const tenant = lowered(this.tenant, room?.tenant ?? 0);
    for (let attempt = 0; attempt < 50; attempt++) {
      const now = this.now();
      const threadFree = await this.opts.store.update(threadKey, (log) => ({
        log: null,
        result: earliest(log, thread, now, this.margin),
      }));
      const at = await this.opts.store.update(tenantKey, (log) => {
        const t = earliest(log, tenant, threadFree, this.margin);
        return { log: withSend(log, this.tenant, t, now), result: t };
      });
      const taken = await this.opts.store.update(threadKey, (log) =>
        admits(log, thread, at, this.margin)
          ? { log: withSend(log, this.thread, at, now), result: true }
          : { log: null, result: false },
      );
      if (taken) return at;
      // Another instance took the thread's slot meanwhile: give the tenant slot back and look again.
      await this.opts.store.update(tenantKey, (log) => ({ log: withoutSend(log, at), result: undefined }));
    }
    // Other writers kept winning the thread's log: contention in the shared store, as updateRecord's
    // own exhaustion is, never a fault of the send that asked (a direct notification's row is not
    // set aside for it, poisonRow.ts).
    throw new StateUnavailableError('send scheduler: the thread kept changing under 50 attempts');
  }

  /** Gives back a reservation that will not be used (the send could not go at its moment). */
  async release(tenantId: string, threadId: string, at: number): Promise<void> {
    for (const key of [SendScheduler.threadKey(tenantId, threadId), SendScheduler.tenantKey(tenantId)]) {
      await this.opts.store.update(key, (log) => ({ log: withoutSend(log, at), result: undefined }));
    }
  }

  /** The margin kept between sends that share a window: a send later than this after its reserved
   * moment could break a window and must be reserved again. */
  get marginMs(): number {
    return this.margin;
  }

  /** When the next send to `threadId` could go, without reserving it. */
  async peek(tenantId: string, threadId: string): Promise<number> {
    const now = this.now();
    const threadFree = await this.opts.store.update(SendScheduler.threadKey(tenantId, threadId), (log) => ({
      log: null,
      result: earliest(log, this.thread, now, this.margin),
    }));
    return this.opts.store.update(SendScheduler.tenantKey(tenantId), (log) => ({
      log: null,
      result: earliest(log, this.tenant, threadFree, this.margin),
    }));
  }

  /** Teams answered 429 for this thread (or, with threadId null, for the whole tenant): nothing is
   * scheduled there before `until`. */
  async hold(tenantId: string, threadId: string | null, until: number): Promise<void> {
    const key = threadId === null ? SendScheduler.tenantKey(tenantId) : SendScheduler.threadKey(tenantId, threadId);
    await this.opts.store.update(key, (log) =>
      log.holdUntil >= until
        ? { log: null, result: undefined }
        : { log: { ...log, holdUntil: until }, result: undefined },
    );
  }
}
