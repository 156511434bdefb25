// A team's list of its channels (under teamKey), so that removing the app from the team forgets
// every channel of it, and how captures and forgets from several instances change it: always at the
// version read (updateRecord), so no instance's change overwrites another's.
//
// Each capture of a channel stamps the channel's entry afresh, after its reference is written, even
// when the channel is listed already; a forget takes an entry off only if its stamp is still the one
// the forget read before deleting the reference. So a capture that lands after the forget's delete
// (another instance's, which the forget cannot drop: the bot added again at once, a turn) keeps its
// channel listed, though the entry was there all along; without the stamp, the forget's later write
// of the list took off the entry of a reference that lives on, and no later removal of the team
// found it. A list written before entries were stamped reads as unstamped entries, forgotten alike.

import { randomUUID } from 'node:crypto';
import { Records } from './port';
import { channelKey, teamKey } from './referenceShape';
import { updateRecord } from './update';

/** The stored list: the channels, and each channel's latest capture stamp. */
interface StoredList {
  readonly channels: readonly string[];
  readonly stamps?: Readonly<Record<string, string>>;
}

/** A team's list as a forget read it: the channels, each with the stamp it had then. */
export interface TeamList {
  readonly key: string;
  readonly seen: ReadonlyMap<string, string | undefined>;
}

/** The channel's stamp in `list` (own properties only: a channel id is not trusted to be no
 * property name of every object). */
function stampOf(list: StoredList, channel: string): string | undefined {
  const stamps = list.stamps;
  const stamp = stamps && Object.hasOwn(stamps, channel) ? stamps[channel] : undefined;
  return typeof stamp === 'string' ? stamp : undefined;
}

function listOf(channels: readonly string[], from: StoredList, stamp?: readonly [string, string]): StoredList {
  const stamps: [string, string][] = [];
  for (const c of channels) {
    const s = c === stamp?.[0] ? stamp[1] : stampOf(from, c);
    if (s !== undefined) stamps.push([c, s]);
  }
  return { channels, stamps: Object.fromEntries(stamps) };
}

/** Lists the channel under its team with a fresh stamp; called after its reference was written. */
export async function stampChannel(records: Records, teamId: string, channelId: string): Promise<void> {
  const stamp = [channelId, randomUUID()] as const;
  await updateRecord<StoredList>(
    records,
    teamKey(teamId),
    (current) => {
      const channels = current?.channels ?? [];
      const next = channels.includes(channelId) ? channels : [...channels, channelId];
      return { next: listOf(next, current ?? { channels: [] }, stamp) };
    },
    'none',
  );
}

/** The team's list as it is now, to take off later what it names (`only`: these channels). */
export async function readTeamList(records: Records, teamId: string, only?: string): Promise<TeamList> {
  const key = teamKey(teamId);
  const list = (await records.get<StoredList>(key))?.value;
  const channels = (list?.channels ?? []).filter((c) => only === undefined || c === only);
  return { key, seen: new Map(channels.map((c) => [c, list ? stampOf(list, c) : undefined])) };
}

/** How many times a forget checks the entries stamped again since it read them (see unlist). */
const RECHECKS = 3;

/** Takes the forgotten channels off their team's list, and deletes the list once none is left,
 * each write only at the version it read. An entry stamped since the forget read it was captured
 * again meanwhile, and one added since was listed by another instance: both are kept, not forgotten
 * with the rest. A live reference is not thrown away on a guess, a stale one is forgotten by the
 * first send Teams refuses (403/404), and the entry is how a later removal of the team finds it.
 *
 * But a capture whose reference write landed before the forget's delete and whose stamp after it
 * stamped an entry whose reference the forget deleted: kept, it would name nothing for ever (no send
 * reaches a channel without a reference, and a channel's forget reads its team from the reference).
 * So each entry kept for its new stamp is checked: when its reference is absent, it is taken off
 * again, only if its stamp is still the one seen kept. A capture that writes the reference after the
 * check stamps after it too, so its entry stays. A capture stamping again in between is checked
 * again, a few times at most. */
export async function unlist(records: Records, index: TeamList): Promise<void> {
  let seen = index.seen;
  for (let round = 0; round <= RECHECKS && seen.size > 0; round++) {
    const restamped = await unlistSeen(records, index.key, seen);
    // The last round's kept entries are not checked: no round follows to take them off.
    if (round === RECHECKS) return;
    const gone = new Map<string, string | undefined>();
    for (const [c, s] of restamped) if ((await records.get(channelKey(c))) === null) gone.set(c, s);
    seen = gone;
  }
}

/** One conditional write of the list: takes off every entry of `seen` whose stamp is still the one
 * seen; returns the entries of `seen` kept because their stamp changed, with their stamp now. */
async function unlistSeen(
  records: Records,
  key: string,
  seen: ReadonlyMap<string, string | undefined>,
): Promise<Map<string, string | undefined>> {
  let restamped = new Map<string, string | undefined>();
  await updateRecord<StoredList>(
    records,
    key,
    (current) => {
      restamped = new Map();
      if (!current) return 'keep';
      const left = current.channels.filter((c) => {
        if (!seen.has(c)) return true;
        const now = stampOf(current, c);
        if (seen.get(c) === now) return false;
        restamped.set(c, now);
        return true;
      });
      if (left.length === 0) return 'remove';
      return left.length === current.channels.length ? 'keep' : { next: listOf(left, current) };
    },
    'none',
  );
  return restamped;
}
