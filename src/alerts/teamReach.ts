// How the bot reaches any channel of a team it is in, not only channels where someone spoke to it:
// the team's service URL, tenant and bot identity are the same for every channel of the team, so
// one stored reference per team (captured when the bot is added, refreshed on every team turn)
// plus the channel's id is a complete proactive reference. Which team a channel belongs to comes
// from the team's channel list (AlertSubscriptions.setTeamChannels, read from Teams).

import { Records } from '../state/port';
import { updateRecord } from '../state/update';
import type { StoredReference } from '../state/references';
import { AlertSubscriptions } from './subscriptions';
import { giveBackWelcome, noteBotPresence, takeWelcome, welcomePosted } from './teamPresence';

const teamRefKey = (teamId: string) => `alerts:teamRef:${teamId}`;
const TEAMS_KEY = 'alerts:teams';
/** At most this many teams are looked through for a channel no team was known to have. */
export const MAX_TEAMS = 500;
/** How long this instance trusts that a team it saw on the list is still there: another instance
 * putting a team on the full list may have dropped it since, and a turn from it after this long
 * reads the list again (and puts it back). */
export const KNOWN_TEAM_RECHECK_MS = 3_600_000;

export interface TeamReachOptions {
  readonly now?: () => number;
  /** Told of each team dropped from the full list (the store's other records of it are kept). */
  readonly logger?: { warn(line: Record<string, unknown>, message: string): void };
}

export class TeamReach {
  constructor(
    private readonly records: Records,
    private readonly subscriptions: AlertSubscriptions,
    private readonly opts: TeamReachOptions = {},
  ) {}

  /** Teams this instance saw on the list, and when (oldest first, at most MAX_TEAMS): a turn from
   * one of them, its reference unchanged, reads and writes nothing. */
  private readonly onList = new Map<string, number>();

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** Notes the bot added to or removed from the team, in an event Teams sent at `at` (now when it
   * says nothing readable); false when it is older news than the opposite handled already
   * (teamPresence.ts), and must change nothing. */
  noteBot(teamId: string, event: 'added' | 'removed', at?: number): Promise<boolean> {
    return noteBotPresence(this.records, teamId, event, at ?? this.now());
  }

  /** Takes the welcome of the addition Teams sent at `at`: true when this handling posts it
   * (teamPresence.ts). Without a time, always. */
  takeWelcome(teamId: string, at?: number): Promise<boolean> {
    return at === undefined ? Promise.resolve(true) : takeWelcome(this.records, teamId, at, this.now());
  }

  /** Notes the welcome of the addition sent at `at` posted: never taken again (teamPresence.ts). The
   * posts are done, so a store failure is only logged (a handling of that addition after the hold
   * would post the welcome again). */
  async welcomePosted(teamId: string, at?: number): Promise<void> {
    if (at === undefined) return;
    await welcomePosted(this.records, teamId, at).catch((e: unknown) =>
      this.opts.logger?.warn(
        { err: e, event: 'alerts.welcome.unrecorded', teamId },
        'could not record the welcome as posted',
      ),
    );
  }

  /** Gives back the welcome taken for the addition sent at `at`, its post failed. */
  async giveBackWelcome(teamId: string, at?: number): Promise<void> {
    if (at !== undefined) await giveBackWelcome(this.records, teamId, at);
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
    const stored = current !== null && JSON.stringify(current.value.reference) === JSON.stringify(shared);
    if (stored && this.seenOnList(teamId)) return;
    // The list first, the reference last: a failure of the list's write leaves the reference
    // unwritten, and the next team turn writes both. And the list is read again when this instance
    // has not seen the team on it lately, even when the reference did not change: the full list
    // drops its oldest team, and one dropped must come back when it speaks again.
    const dropped: string[] = [];
    await updateRecord<{ teams: string[] }>(
      this.records,
      TEAMS_KEY,
      (cur) => {
        dropped.length = 0;
        if (cur?.teams.includes(teamId)) return 'keep';
        const teams = [...(cur?.teams ?? []), teamId];
        dropped.push(...teams.slice(0, Math.max(0, teams.length - MAX_TEAMS)));
        return { next: { teams: teams.slice(-MAX_TEAMS) } };
      },
      'none',
    );
    for (const gone of dropped) {
      this.onList.delete(gone);
      this.opts.logger?.warn(
        { event: 'alerts.teams.dropped', teamId: gone, max: MAX_TEAMS },
        'the list of known teams is full: its oldest team left it until a turn from that team',
      );
    }
    this.noteOnList(teamId);
    if (!stored) await this.records.put(teamRefKey(teamId), { reference: shared }, 'none');
  }

  private seenOnList(teamId: string): boolean {
    const seen = this.onList.get(teamId);
    return seen !== undefined && this.now() - seen < KNOWN_TEAM_RECHECK_MS;
  }

  private noteOnList(teamId: string): void {
    this.onList.delete(teamId);
    this.onList.set(teamId, this.now());
    // The oldest note goes first: forgetting one costs a read of the list at that team's next turn.
    for (const oldest of this.onList.keys()) {
      if (this.onList.size <= MAX_TEAMS) break;
      this.onList.delete(oldest);
    }
  }

  async forgetTeam(teamId: string): Promise<void> {
    this.onList.delete(teamId);
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
