// Where the bot can reach people and channels later (proactive sends), captured on install and on
// every turn. A message turn never waits for storage: `remember` only notes the reference in memory
// and a short timer writes the latest one per key behind the turn (coalesced: ten messages in a
// second are one write); an install is written at once, as its turn awaits it; what is kept, under
// which key, is referenceShape.ts. A write that fails is
// retried with backoff, and the shutdown's flush is bounded in time (src/state/referenceWrites.ts).
//
// The "already stored" cache is this process's belief only: another instance may have forgotten
// the reference since (Teams answered 403/404 there, or the app was removed). So an install (the
// bot added to a chat or team) is always written whatever the cache says, and the belief expires
// after STORED_BELIEF_MS, so a reference forgotten elsewhere is written again by the next turn
// after that.

import { Records } from './port';
import { LruCache } from './lruCache';
import { ReferenceWriteError, notForgotten } from './referenceWriteErrors';
import { RetryPolicy, WriteBehind } from './referenceWrites';
import { TeamList, readTeamList, stampChannel, unlist } from './teamChannels';
import { CapturedReference, StoredReference, addressable, channelKey, storedPart, userKey } from './referenceShape';

// The shapes are imported from here by most of the bot (sends, alerts, the Teams edge).
export type { CapturedReference, StoredReference } from './referenceShape';

/** A reference as a send read it: `version` is its stored record's, null when it was this
 * process's capture not written yet (then `reference` is that capture itself, which the forget
 * finds again: refusedVersion). A forget after Teams refused the send names it, so that only that
 * reference is forgotten, never one stored since. */
export interface ReadReference {
  readonly reference: StoredReference;
  readonly version: string | null;
}

/** Why a reference was captured: an install (the bot added) is written even when this process
 * believes it is stored already; a turn only when it changed or the belief expired. */
export type CaptureOccasion = 'turn' | 'install';

/** How long this process believes a reference it wrote is still stored. Another instance
 * may delete it meanwhile (forgetUser/forgetChannel after a 403/404), and a notification to that
 * recipient is settled undeliverable until it is written again; the belief's age bounds that gap
 * for a conversation that goes on. Five minutes costs an active conversation one small write per
 * five minutes (a busy channel writes at most 12 times an hour, whatever its senders, and stamps
 * its team's list as often), which is noise next to its turns, while a recipient wrongly missing stays missing at most five minutes. */
export const STORED_BELIEF_MS = 5 * 60_000;

export interface ReferenceOptions {
  /** How long a captured reference waits for later captures of the same key before it is written. */
  readonly flushDelayMs?: number;
  /** How many keys the "already stored" cache remembers. */
  readonly cacheSize?: number;
  /** The time now, in ms (tests move it). */
  readonly now?: () => number;
  /** How a failed write is retried (referenceWrites.ts has the defaults and why). */
  readonly retry?: Partial<RetryPolicy>;
  /** Told once when a reference's writes start failing (they are retried), once if they are
   * given up, and when a flush could not write everything; never with the reference itself. */
  readonly onError?: (error: ReferenceWriteError) => void;
}

/** How long an explicit flush may take when its caller names no time. The shutdown gives it its
 * share of one deadline (FLUSH_REFERENCES_MS in src/shutdown.ts, the same second): after the
 * drain, before the instance's liveness ends and the store closes. */
export const FLUSH_WITHIN_MS = 1000;

interface Pending {
  readonly reference: StoredReference;
  readonly json: string;
  readonly teamId?: string;
  readonly channelId?: string;
}

/** What this process last wrote for a key, when, and the version the store gave it. */
interface Belief {
  readonly json: string;
  readonly at: number;
  readonly reference: StoredReference;
  readonly version: string;
}

export class ConversationReferences {
  private readonly writes: WriteBehind<Pending>;
  /** key -> the JSON last stored for it and when, so an unchanged reference is not rewritten on
   * every turn (only once the belief expired). */
  private readonly stored: LruCache<Belief>;
  private readonly now: () => number;

  constructor(
    private readonly records: Records,
    private readonly options: ReferenceOptions = {},
  ) {
    this.stored = new LruCache(options.cacheSize ?? 5000);
    this.now = options.now ?? Date.now;
    this.writes = new WriteBehind<Pending>({
      write: (key, p) => this.write(key, p),
      flushDelayMs: options.flushDelayMs ?? 200,
      now: this.now,
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }

  /** How many keys the "already stored" cache holds (bounded by `cacheSize`). */
  get cachedKeys(): number {
    return this.stored.size;
  }

  /** Notes where this conversation can be reached: a turn's returns at once and writes behind, an
   * install's returns once written (or its write failed and was queued for a retry). */
  async remember(
    reference: CapturedReference,
    aadObjectId: string | undefined,
    channelId: string | undefined,
    teamId?: string,
    occasion: CaptureOccasion = 'turn',
  ): Promise<void> {
    const kept = storedPart(reference, aadObjectId, channelId);
    if (!kept) return;
    const json = JSON.stringify(kept.reference);
    const waiting = this.writes.get(kept.key);
    if (!waiting && occasion === 'turn' && this.believed(kept.key, json)) return;
    const pending = { reference: kept.reference, json, ...(teamId && channelId ? { teamId, channelId } : {}) };
    // An install is written at once, before its turn ends: an event for the recipient handled on
    // another instance meanwhile would find no reference and be settled "has not installed" for
    // good. A failed write is retried as any other (onError is told).
    if (occasion === 'install') await this.writes.writeNow(kept.key, pending);
    else this.writes.queue(kept.key, pending);
  }

  /** Writes every captured reference now, retries waiting for their backoff included, several at
   * once, waits for the writes already under way, and returns within `withinMs` (the shutdown's
   * flush). Never throws: what it could not write stays queued or under way (and retried while the
   * process lives), and onError is told how many. */
  async flush(withinMs = FLUSH_WITHIN_MS): Promise<void> {
    await this.writes.flush(withinMs);
  }

  /** Writes the reference (a channel's with its team, which its forget reads to find the team's
   * list), then stamps the channel's entry in its team's list: every time, even when listed already,
   * as a forget of the channel under way elsewhere may have read the entry (teamChannels.ts). */
  private async write(key: string, p: Pending): Promise<void> {
    try {
      const value = { reference: p.reference, ...(p.teamId ? { teamId: p.teamId } : {}) };
      const version = await this.records.put(key, value, 'none');
      if (p.teamId && p.channelId) await stampChannel(this.records, p.teamId, p.channelId);
      this.stored.set(key, { json: p.json, at: this.now(), reference: p.reference, version });
    } catch (e) {
      this.stored.delete(key);
      throw e;
    }
  }

  /** Whether this process wrote exactly `json` for `key` recently enough to trust it is stored. */
  private believed(key: string, json: string): boolean {
    const belief = this.stored.get(key);
    return belief !== undefined && belief.json === json && this.now() - belief.at < STORED_BELIEF_MS;
  }

  /** Forgets the conversation (and, with a team, every channel of that team). */
  async forget(
    reference: CapturedReference,
    aadObjectId: string | undefined,
    channelId: string | undefined,
    teamId?: string,
  ): Promise<void> {
    const own = storedPart(reference, aadObjectId, channelId);
    // A capture of one of the team's channels, queued or being written, would add the channel to the
    // team's list (and store it) after the list is read below, whatever its write's speed. So every
    // capture of the team is dropped by what it is, not by the stored list; once their writes under
    // way have ended (drop waits, within the store calls' own deadlines), the list is complete and
    // nothing captured before the removal comes back. A capture queued is dropped, not written:
    // it would only be deleted again.
    const keys = await this.writes.drop(own ? [own.key] : [], (p) => teamId !== undefined && p.teamId === teamId);
    const index = teamId ? await readTeamList(this.records, teamId) : undefined;
    // Once each: the removal's own channel is on the list too, and the count of forgotten is told.
    for (const c of index?.seen.keys() ?? []) if (!keys.includes(channelKey(c))) keys.push(channelKey(c));
    await this.forgetKeys(keys, index, undefined, index !== undefined);
  }

  /** Forgets a user's personal chat (Teams answered 403/404: the user uninstalled the app).
   * `refused`: the reference the refused send used; only that one is forgotten (see refusedVersion). */
  async forgetUser(aadObjectId: string, refused?: ReadReference): Promise<void> {
    const key = userKey(aadObjectId);
    if (!refused) return this.forgetKeys([key]);
    const at = await this.refusedVersion(key, refused);
    if (at !== null) await this.forgetKeys([key], undefined, at);
  }

  /** Forgets a channel (Teams answered 403/404: the bot was removed from its team, or the channel
   * deleted), and takes it off its team's list, which would otherwise keep the dead entry until the
   * team's removal, and the list itself for ever once the removal was missed. A reference written
   * before it named its team leaves its entry: the team's removal forgets it. `refused`: the
   * reference the refused send used; only that one is forgotten, its entry only with it. */
  async forgetChannel(channelId: string, refused?: ReadReference): Promise<void> {
    const key = channelKey(channelId);
    // A write of the channel under way here ends first, so the record read names its team. Not
    // for a refused reference: a capture here since is newer than it, and stays (nor does a write
    // that lands change which team the record read names: it changes its version).
    if (!refused) await this.writes.drop([key]);
    const at = refused ? await this.refusedVersion(key, refused) : undefined;
    if (at === null) return;
    const entry = await this.records.get<{ teamId?: unknown } | null>(key);
    if (at !== undefined && entry?.version !== at) return;
    const teamId = entry?.value?.teamId;
    const index = typeof teamId === 'string' ? await readTeamList(this.records, teamId, channelId) : undefined;
    await this.forgetKeys([key], index?.seen.size ? index : undefined, at);
  }

  /**
   * The version at which a forget after a refusal deletes: the refused reference's, while it is
   * the one stored; null when nothing of it is (delete at a version: the store keeps another). The
   * user may have installed the app again meanwhile, or the bot been added to the team again, and
   * another instance stored the fresh reference, which may look the same (a personal chat keeps its
   * id): deleting it would make the recipient's notifications undeliverable until a turn captures
   * it again. So a capture of this process read before it was stored (no version) is told by what
   * it is, never by what is stored now: still queued, it is not written at all; written by this
   * process, it is deleted at the version its write got. One this process no longer knows of (a
   * newer capture written since) is left, for the next refusal to forget.
   */
  private async refusedVersion(key: string, refused: ReadReference): Promise<string | null> {
    if (refused.version !== null) return refused.version;
    // Still queued, and nothing newer captured since (it would have replaced it): never written.
    if (this.writes.get(key)?.reference === refused.reference) await this.writes.drop([key]);
    // A write of it under way ends first, so its version is known; one that failed is queued again
    // for its retry, which would store it after all: dropped too.
    await this.writes.settled(key);
    if (this.writes.get(key)?.reference === refused.reference) await this.writes.drop([key]);
    const belief = this.stored.get(key);
    return belief?.reference === refused.reference ? belief.version : null;
  }

  /** Deletes every key, each tried whatever became of the others (one refused delete does not keep
   * the rest), then throws if any failed, naming how many: a caller never takes a kept reference for
   * forgotten. `index`, a team's list of its channels, is written last and only once all its
   * channels are gone: it is what lets a later removal find a channel whose delete failed. `at`:
   * the one key is deleted only at that version (a refused reference); one stored since is kept,
   * and so is its entry on the team's list. `teamRemoved`: the forget of the team's removal. */
  private async forgetKeys(keys: readonly string[], index?: TeamList, at?: string, teamRemoved = false): Promise<void> {
    const all = index === undefined ? keys : [...keys, index.key];
    // Nothing captured so far is written any more, and a write already under way has ended, so it
    // cannot bring the reference back after the delete below. Not when only a version is
    // forgotten: what this process captured since is newer, and a write of it changes the version.
    if (at === undefined) await this.writes.drop(all);
    const failed: string[] = [];
    let kept = false;
    let cause: unknown;
    const attempt = async (k: string, forget: () => Promise<unknown>): Promise<void> => {
      this.stored.delete(k);
      try {
        if ((await forget()) === false && at !== undefined) kept = true;
      } catch (e) {
        failed.push(k);
        cause ??= e;
      }
    };
    for (const k of keys) await attempt(k, () => this.records.delete(k, at));
    if (kept) return;
    if (index !== undefined) {
      // Tried twice: once the references are gone, no send reaches their channels, so no refusal
      // comes to forget them again, and a channel's team can no longer be read from its reference.
      const twice = () => unlist(this.records, index).catch(() => unlist(this.records, index));
      if (failed.length === 0) await attempt(index.key, twice);
      else failed.push(index.key);
    }
    if (failed.length > 0) throw notForgotten(failed, all.length, cause, teamRemoved);
  }

  async forUser(aadObjectId: string): Promise<StoredReference | null> {
    return (await this.readUser(aadObjectId))?.reference ?? null;
  }

  async forChannel(channelId: string): Promise<StoredReference | null> {
    return (await this.readChannel(channelId))?.reference ?? null;
  }

  /** The user's reference with the version a forget of it names. */
  readUser(aadObjectId: string): Promise<ReadReference | null> {
    return this.load(userKey(aadObjectId));
  }

  /** The channel's reference with the version a forget of it names. */
  readChannel(channelId: string): Promise<ReadReference | null> {
    return this.load(channelKey(channelId));
  }

  private async load(key: string): Promise<ReadReference | null> {
    const waiting = this.writes.get(key);
    if (waiting) return { reference: waiting.reference, version: null };
    const entry = await this.records.get<{ reference?: unknown } | null>(key);
    const reference = entry?.value?.reference;
    // A stored value no send can use (not a reference, or a conversation without an id) is as good
    // as none: the recipient's event is settled undeliverable, instead of failing every pass of its
    // row for ever or being sent where Teams cannot address it.
    return entry && addressable(reference) ? { reference, version: entry.version } : null;
  }
}
