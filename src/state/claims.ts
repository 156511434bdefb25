// Exactly-once card actions on the state port: one claim per (operation, item). The first click
// takes it; everyone after it learns who holds it or how it ended. Every taking of a claim gets a
// fencing token (a counter that only grows, plus a nonce): completing, renewing or releasing names
// it, so a holder that lost its claim (its lease ran out while Graph was slow and another click
// took over) can never overwrite the outcome of the click that replaced it.

import { randomUUID } from 'node:crypto';
import { Records } from './port';
import { updateRecord } from './update';

export interface ClaimHolder {
  readonly userId: string;
  readonly userName?: string;
  readonly activityId?: string;
}

export interface ClaimOutcome {
  readonly outcome: 'succeeded' | 'failed';
  readonly summary: string;
  readonly at: string;
  readonly byName?: string;
}

/** Proof of holding a claim: the counter orders takings, the nonce makes each one unique. */
export interface Fence {
  readonly counter: number;
  readonly nonce: string;
}

export interface ClaimRecord {
  /** `released`: nobody holds it (a failed write); kept so the next taking's counter grows. */
  readonly state: 'inProgress' | 'done' | 'released';
  readonly holder: ClaimHolder;
  readonly fence: Fence;
  /** The process (boot) that holds it, so a click can tell whether the holder is still alive. */
  readonly instance: string;
  /** Epoch ms after which an in-progress claim may be taken over. */
  readonly leaseUntil: number;
  readonly outcome?: ClaimOutcome;
}

export type TakeResult =
  | { readonly won: true; readonly fence: Fence; readonly tookOver: boolean }
  | { readonly won: false; readonly record: ClaimRecord };

export interface ClaimsOptions {
  readonly now?: () => number;
  /** How long a claim stays held without renewal. */
  readonly leaseMs?: number;
  /** This process's boot id (see Instances). */
  readonly instance: string;
  /** Settled claims are the record of who acted through a card; kept this long. */
  readonly keepMs?: number;
}

const PREFIX = 'claim:';

export class Claims {
  private readonly now: () => number;
  readonly leaseMs: number;
  private readonly keepMs: number;

  constructor(
    private readonly records: Records,
    private readonly opts: ClaimsOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.keepMs = opts.keepMs ?? 90 * 24 * 3600_000;
  }

  static keyOf(operation: string, targetId: string): string {
    return `${operation}:${targetId.toLowerCase()}`;
  }

  async get(key: string): Promise<ClaimRecord | null> {
    return (await this.records.get<ClaimRecord>(PREFIX + key))?.value ?? null;
  }

  /**
   * Takes the claim when nobody holds it, or when its holder is gone: its lease ran out, or
   * `orphaned` says its process is no longer alive. A settled claim is never taken.
   */
  async take(
    key: string,
    holder: ClaimHolder,
    orphaned: (r: ClaimRecord) => boolean = () => false,
  ): Promise<TakeResult> {
    let result: TakeResult | null = null;
    await updateRecord<ClaimRecord>(
      this.records,
      PREFIX + key,
      (current) => {
        const free =
          !current ||
          current.state === 'released' ||
          (current.state === 'inProgress' && (current.leaseUntil <= this.now() || orphaned(current)));
        if (!free) {
          result = { won: false, record: current };
          return 'keep';
        }
        const fence: Fence = { counter: (current?.fence.counter ?? 0) + 1, nonce: randomUUID() };
        result = { won: true, fence, tookOver: current?.state === 'inProgress' };
        return {
          next: {
            state: 'inProgress',
            holder,
            fence,
            instance: this.opts.instance,
            leaseUntil: this.now() + this.leaseMs,
          },
        };
      },
      { ttlMs: this.keepMs },
    );
    if (!result) throw new Error('The claim could not be decided.');
    return result;
  }

  /** Extends the lease of a claim still held with `fence`: false when it was lost. */
  renew(key: string, fence: Fence): Promise<boolean> {
    return this.ifHeld(key, fence, (r) => ({ ...r, leaseUntil: this.now() + this.leaseMs }));
  }

  /** Records the outcome of a claim still held with `fence`: false when it was lost. */
  complete(key: string, fence: Fence, outcome: ClaimOutcome): Promise<boolean> {
    return this.ifHeld(key, fence, (r) => ({ ...r, state: 'done', outcome }));
  }

  /** How many times the claim has been taken, the taking `fence` proves included. */
  takes(fence: Fence): number {
    return fence.counter;
  }

  /** Lets someone else try (the write failed): false when it was lost meanwhile. */
  release(key: string, fence: Fence): Promise<boolean> {
    return this.ifHeld(key, fence, (r) => ({ ...r, state: 'released', leaseUntil: this.now() }));
  }

  private async ifHeld(key: string, fence: Fence, next: (r: ClaimRecord) => ClaimRecord): Promise<boolean> {
    let held = false;
    await updateRecord<ClaimRecord>(
      this.records,
      PREFIX + key,
      (current) => {
        held = current?.state === 'inProgress' && sameFence(current.fence, fence);
        return held && current ? { next: next(current) } : 'keep';
      },
      { ttlMs: this.keepMs },
    );
    return held;
  }
}

function sameFence(a: Fence, b: Fence): boolean {
  return a.counter === b.counter && a.nonce === b.nonce;
}
