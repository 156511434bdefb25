// Puts back index entries a subscribed channel lost, from the periodic pass. A subscribe writes the
// indexes, then the channel record, then the indexes again (stalePruning.ts): a prune that read an
// index before the record was written either loses its swap against that second write or is undone
// by it. When the second write never happens (the process dies after the record write, or the store
// fails it), such a prune lands: the record says "subscribed" and no index names the channel, which
// then hears nothing, and no read prunes or adds it back. So the pass walks the teams the bot knows
// (TeamReach's list), reads each of their channels' records, and adds every subscribed channel that
// a category index (or its team's `subscribed` list) lacks: an idempotent add by compare-and-swap.
// Adding a channel whose record subscribes it only restores the superset the indexes must hold
// (subscriptions.ts); a change racing it leaves at worst an extra entry, which readers ignore and
// prune like any other. The subscribe's own writes are unchanged.

import { Records, StateUnavailableError } from '../state/port';
import { eachApart } from './eachApart';
import { AlertTopic } from './categories';
import { addTeamSubscribed, addToIndex, channelKey, indexKey, teamKey } from './subscriptionRecords';
import type { ChannelRecord, IndexRecord, TeamRecord } from './subscriptionRecords';

/** Teams walked per pass: with at most MAX_TEAMS (500) known, each is walked again within 20
 * passes (100 minutes at one pass every 5 minutes); with 25 or fewer, on every pass. */
const HEAL_TEAMS_PER_PASS = 25;

/** Where the next pass starts in the list of known teams, when it is longer than one pass walks. */
const CURSOR_KEY = 'alerts:healCursor';

export class SubscriptionHealing {
  constructor(
    private readonly records: Records,
    /** The teams the bot knows (TeamReach.knownTeams). */
    private readonly knownTeams: () => Promise<readonly string[]>,
    private readonly perPass: number = HEAL_TEAMS_PER_PASS,
  ) {}

  /** Walks the next slice of known teams; how many missing entries it put back. `stop` aborted:
   * no further write (the pass's row was lost or the instance stops). */
  async pass(stop?: AbortSignal): Promise<number> {
    const teams = await this.knownTeams();
    if (teams.length === 0) return 0;
    const walkAll = teams.length <= this.perPass;
    const at = walkAll ? 0 : ((await this.records.get<{ next: number }>(CURSOR_KEY))?.value.next ?? 0);
    const start = at >= 0 && at < teams.length ? at : 0;
    const slice = walkAll ? teams : Array.from({ length: this.perPass }, (_, i) => teams[(start + i) % teams.length]!);
    const indexes = new Map<AlertTopic, Set<string>>();
    let healed = 0;
    // Each team apart (eachApart.ts): a team that fails on every pass used to fail the pass before
    // the cursor moved, so the same slice came back every period and no team after it was healed.
    // The cursor moves on past it; it is tried again when the rotation comes back to it.
    const failures: unknown[] = [];
    await eachApart(slice, async (teamId) => (healed += await this.healTeam(teamId, indexes, stop)), stop).catch(
      (error: unknown) => {
        if (error instanceof StateUnavailableError || stop?.aborted) throw error;
        failures.push(error);
      },
    );
    stop?.throwIfAborted();
    if (!walkAll) await this.records.put(CURSOR_KEY, { next: (start + this.perPass) % teams.length }, 'none');
    if (failures.length > 0) throw failures[0];
    return healed;
  }

  /** Every channel of the team (listed by Teams, or subscribed) whose record subscribes it. */
  private async healTeam(teamId: string, indexes: Map<AlertTopic, Set<string>>, stop?: AbortSignal) {
    const team = (await this.records.get<TeamRecord>(teamKey(teamId)))?.value;
    if (!team) return 0;
    let healed = 0;
    for (const channelId of new Set([...team.channels.map((c) => c.id), ...team.subscribed])) {
      const record = (await this.records.get<ChannelRecord>(channelKey(channelId)))?.value;
      // Another team's channel (a stale list) is healed when its own team is walked.
      if (!record || record.teamId !== teamId) continue;
      const topics: AlertTopic[] = [...record.categories, ...(record.digest ? (['digest'] as const) : [])];
      if (topics.length === 0) continue;
      const ref = { teamId, channelId };
      if (!team.subscribed.includes(channelId)) {
        stop?.throwIfAborted();
        // Never makes the team record: gone meanwhile, the bot left the team, and a record made
        // again would list a team it is not in.
        if (await addTeamSubscribed(this.records, ref, { create: false })) healed++;
      }
      for (const topic of topics) {
        const indexed = await this.indexed(topic, indexes);
        if (indexed.has(channelId)) continue;
        stop?.throwIfAborted();
        await addToIndex(this.records, topic, ref);
        indexed.add(channelId);
        healed++;
      }
    }
    return healed;
  }

  /** The channels the topic's index names, read once per pass. */
  private async indexed(topic: AlertTopic, indexes: Map<AlertTopic, Set<string>>): Promise<Set<string>> {
    let ids = indexes.get(topic);
    if (!ids) {
      const index = (await this.records.get<IndexRecord>(indexKey(topic)))?.value;
      ids = new Set((index?.channels ?? []).map((c) => c.channelId));
      indexes.set(topic, ids);
    }
    return ids;
  }
}
