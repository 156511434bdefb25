// The bot added to a team and removed from it: Teams stamps each conversationUpdate with the time it
// sent it (teamMemberAdded / teamMemberRemoved naming the bot, installationUpdate, teamHardDeleted:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events),
// and two instances or a redelivery may handle two of them in either order. As with a team's
// archiving and return (teamSuspensions.ts), only the newer acts: a removal sent before an addition
// handled already forgets nothing (the bot is in the team again), and an addition sent before a
// removal handled already remembers nothing (the bot has left).

import { Records } from '../state/port';
import { PlaceNews, newsSince, noteNews } from './newestNews';
import { updateRecord } from '../state/update';

type PresenceNews = 'addedAt' | 'removedAt' | 'welcomedAt';
const presenceKey = (teamId: string) => `alerts:teamPresence:${teamId}`;
/** Long enough for any redelivery or slow instance; the record then expires on its own. */
const PRESENCE_TTL_MS = 7 * 24 * 3_600_000;

/** Notes that Teams sent "the bot was added to (or removed from) the team" at `at` (epoch ms); false
 * when Teams sent the opposite later and it was handled already: this event is older news. */
export async function noteBotPresence(
  records: Records,
  teamId: string,
  event: 'added' | 'removed',
  at: number,
): Promise<boolean> {
  const kind: PresenceNews = event === 'added' ? 'addedAt' : 'removedAt';
  const before = await noteNews<PresenceNews>(records, presenceKey(teamId), kind, at, { ttlMs: PRESENCE_TTL_MS });
  return !newsSince(before, [event === 'added' ? 'removedAt' : 'addedAt'], at);
}

/** Takes the welcome of the addition Teams sent at `at`: true when this handling is to post it, false
 * when it (or that of a later addition) was taken already. Teams may deliver one event twice (a
 * redelivery after a slow or failed answer) and two instances may each handle a copy, even at once:
 * the addition is noted again harmlessly, but its welcome and settings cards would be posted again
 * in the channel. Compare-and-swap (newestNews.ts), so of two handlings at once one posts it. */
export async function takeWelcome(records: Records, teamId: string, at: number): Promise<boolean> {
  const before = await noteNews<PresenceNews>(records, presenceKey(teamId), 'welcomedAt', at, {
    ttlMs: PRESENCE_TTL_MS,
  });
  return (before?.welcomedAt ?? -Infinity) < at;
}

/** Gives back the welcome taken for the addition sent at `at` whose post failed, so a redelivery of
 * that addition posts it. Nothing when a later addition's welcome was taken since. */
export async function giveBackWelcome(records: Records, teamId: string, at: number): Promise<void> {
  await updateRecord<PlaceNews<PresenceNews>>(
    records,
    presenceKey(teamId),
    (cur) => {
      if (cur?.welcomedAt !== at) return 'keep';
      const { welcomedAt: _taken, ...rest } = cur;
      return { next: rest };
    },
    { ttlMs: PRESENCE_TTL_MS },
  );
}
