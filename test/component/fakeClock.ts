// A clock that moves only when the test moves it, so waiting is counted, never slept.

import { Clock } from '../../src/domain/clock';

interface Timer {
  readonly at: number;
  readonly resolve: () => void;
}

export class FakeClock implements Clock {
  private t = Date.UTC(2026, 0, 5, 9, 0, 0);
  private timers: Timer[] = [];

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer: Timer = { at: this.t + Math.max(0, ms), resolve };
      this.timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((x) => x !== timer);
          resolve();
        },
        { once: true },
      );
    });
  }

  /** Moves time forward, firing due timers in order and letting their work run. */
  async advance(ms: number): Promise<void> {
    const until = this.t + ms;
    for (;;) {
      await settle();
      const next = this.timers.filter((x) => x.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.timers = this.timers.filter((x) => x !== next);
      this.t = next.at;
      next.resolve();
    }
    this.t = until;
    await settle();
  }

  /**
   * Runs `work` to its end, moving time in small steps only while it waits: how much time had
   * to pass is the answer's `waitedMs`.
   */
  async drive<T>(work: Promise<T>, stepMs = 50, maxMs = 60_000): Promise<{ value: T; waitedMs: number }> {
    let done = false;
    let value: T | undefined;
    let failure: unknown = null;
    work.then(
      (v) => ((done = true), (value = v)),
      (e: unknown) => ((done = true), (failure = e ?? new Error('rejected'))),
    );
    let waited = 0;
    await settle();
    while (!done) {
      if (waited >= maxMs) throw new Error(`still waiting after ${maxMs} ms of clock time`);
      await this.advance(stepMs);
      waited += stepMs;
    }
    if (failure) throw failure;
    return { value: value as T, waitedMs: waited };
  }
}

/** Lets every piece of in-process work that is ready run (promises, SQLite, the in-process tenant). */
export async function settle(rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}
