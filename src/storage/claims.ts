// Exactly-once actions: one durable claim per (operation, target). The first click creates the
// claim (create-if-absent), everyone after it learns who holds it or how it ended. A failed Graph
// call releases the claim so someone can try again; an abandoned one (its instance died) expires
// after a lease and can be taken over with an eTag compare-and-swap.

import { randomUUID } from 'node:crypto';
import { ConditionalStorage } from './fileStorage';

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

export interface ClaimRecord {
  readonly state: 'inProgress' | 'done';
  readonly holder: ClaimHolder;
  readonly token: string;
  readonly claimedAt: number;
  readonly outcome?: ClaimOutcome;
}

export type ClaimResult =
  { readonly won: true; readonly token: string } | { readonly won: false; readonly record: ClaimRecord };

const PREFIX = 'claim:';

export class ClaimStore {
  private readonly now: () => number;
  private readonly leaseMs: number;

  constructor(
    private readonly storage: ConditionalStorage,
    opts: { now?: () => number; leaseMs?: number } = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.leaseMs = opts.leaseMs ?? 60_000;
  }

  static keyOf(operation: string, targetId: string): string {
    return `${operation}:${targetId.toLowerCase()}`;
  }

  async claim(key: string, holder: ClaimHolder): Promise<ClaimResult> {
    const k = PREFIX + key;
    const token = randomUUID();
    const record: ClaimRecord = { state: 'inProgress', holder, token, claimedAt: this.now() };
    for (let attempt = 0; attempt < 5; attempt++) {
      if (await this.storage.create(k, { ...record })) return { won: true, token };
      const current = await this.readRaw(k);
      if (!current) continue; // released meanwhile: try to create again
      const { eTag, ...existing } = current;
      const rec = existing as unknown as ClaimRecord;
      if (rec.state === 'done' || this.now() - rec.claimedAt < this.leaseMs) return { won: false, record: rec };
      try {
        await this.storage.write({ [k]: { ...record, eTag } });
        return { won: true, token };
      } catch {
        // Someone else took the expired claim first; look again.
      }
    }
    const last = await this.get(key);
    if (last) return { won: false, record: last };
    throw new Error('The claim could not be decided.');
  }

  async complete(key: string, token: string, outcome: ClaimOutcome): Promise<void> {
    await this.ifHeld(key, token, (rec, eTag) =>
      this.storage.write({ [PREFIX + key]: { ...rec, state: 'done', outcome, eTag } }),
    );
  }

  async release(key: string, token: string): Promise<void> {
    await this.ifHeld(key, token, () => this.storage.delete([PREFIX + key]));
  }

  async get(key: string): Promise<ClaimRecord | null> {
    const raw = await this.readRaw(PREFIX + key);
    if (!raw) return null;
    const { eTag: _e, ...rec } = raw;
    return rec as unknown as ClaimRecord;
  }

  private async ifHeld(
    key: string,
    token: string,
    act: (rec: ClaimRecord, eTag: string) => Promise<void>,
  ): Promise<boolean> {
    const raw = await this.readRaw(PREFIX + key);
    if (!raw) return false;
    const { eTag, ...rec } = raw;
    if ((rec as unknown as ClaimRecord).token !== token) return false;
    await act(rec as unknown as ClaimRecord, String(eTag));
    return true;
  }

  private async readRaw(k: string): Promise<Record<string, unknown> | null> {
    const items = await this.storage.read([k]);
    return (items[k] as Record<string, unknown> | undefined) ?? null;
  }
}
