// How the bot reaches any channel of a team it is in, not only channels where someone spoke to it:
// the team's service URL, tenant and bot identity are the same for every channel of the team, so
// one stored reference per team (captured when the bot is added, refreshed on every team turn)
// plus the channel's id is a complete proactive reference. Which team a channel belongs to comes
// from the team's channel list (AlertSubscriptions.setTeamChannels, read from Teams).

import { Records } from '../state/port';
import { updateRecord } from '../state/update';
import type { StoredReference } from '../state/references';
import { AlertSubscriptions } from './subscriptions';
import { noteBotPresence } from './teamPresence';

const teamRefKey = (teamId: string) => `alerts:teamRef:${teamId}`;
const TEAMS_KEY = 'alerts:teams';
/** At most this many teams are looked through for a channel no team was known to have. */
export const MAX_TEAMS = 500;

export class TeamReach {
  constructor(
    private readonly records: Records,
    private readonly subscriptions: AlertSubscriptions,
    private readonly opts: { readonly now?: () => number } = {},
  ) {}

  /** Notes the bot added to or removed from the team, in an event Teams sent at `at` (now when it
   * says nothing readable); false when it is older news than the opposite handled already
   * (teamPresence.ts), and must change nothing. */
  noteBot(teamId: string, event: 'added' | 'removed', at?: number): Promise<boolean> {
    return noteBotPresence(this.records, teamId, event, at ?? (this.opts.now ?? Date.now)());
  }

  /** Remembers how to reach the team (only the parts every channel of it shares). */
  async rememberTeam(teamId: string, reference: StoredReference): Promise<void> {
    const { serviceUrl, channelId, bot } = reference;
    const tenantId = reference.conversation?.tenantId;
    if (!serviceUrl) return;
    const shared: StoredReference = {
      serviceUrl,
      ...(channelId ? { channelId } : {}),
      ...(bot ? { bot } : {}),
      conversation: { id: teamId, ...(tenantId ? { tenantId } : {}), conversationType: 'channel', isGroup: true },
    };
    const current = await this.records.get<{ reference: StoredReference }>(teamRefKey(teamId));
    if (current && JSON.stringify(current.value.reference) === JSON.stringify(shared)) return;
    // The list first, the reference last: a turn whose reference is stored already writes nothing,
    // so a list write that failed after it (the store down, the process gone) was never made again
    // and the team stayed off the list (no healing pass, no lookup of its new channels) for good.
    // In this order a failure leaves the reference unwritten, and the next team turn writes both.
    await updateRecord<{ teams: string[] }>(
      this.records,
      TEAMS_KEY,
      (cur) =>
        cur?.teams.includes(teamId) ? 'keep' : { next: { teams: [...(cur?.teams ?? []), teamId].slice(-MAX_TEAMS) } },
      'none',
    );
    await this.records.put(teamRefKey(teamId), { reference: shared }, 'none');
  }

  async forgetTeam(teamId: string): Promise<void> {
    await this.records.delete(teamRefKey(teamId));
    await updateRecord<{ teams: string[] }>(
      this.records,
      TEAMS_KEY,
      (cur) => (cur?.teams.includes(teamId) ? { next: { teams: cur.teams.filter((t) => t !== teamId) } } : 'keep'),
      'none',
    );
  }

  async teamReference(teamId: string): Promise<StoredReference | null> {
    return (await this.records.get<{ reference: StoredReference }>(teamRefKey(teamId)))?.value.reference ?? null;
  }

  /** A reference that starts a new thread in the channel, or null when its team is not known. */
  async channelReference(channelId: string): Promise<StoredReference | null> {
    const teamId = await this.subscriptions.teamOf(channelId);
    if (!teamId) return null;
    const team = await this.teamReference(teamId);
    if (!team?.conversation) return null;
    return { ...team, conversation: { ...team.conversation, id: channelId } };
  }

  /** The teams the bot knows a reference for, to look an unseen channel up in. */
  async knownTeams(): Promise<string[]> {
    return (await this.records.get<{ teams: string[] }>(TEAMS_KEY))?.value.teams ?? [];
  }
}
