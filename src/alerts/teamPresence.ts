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
/** Besides the news: until when the welcome taken for the addition at `welcomedAt` is held by the
 * handling that took it (epoch ms of the instance's clock), and the addition whose welcome and
 * settings card were posted. An earlier release's take writes neither: held for good. */
interface WelcomeState {
  readonly welcomeHeldUntil?: number;
  readonly welcomePostedAt?: number;
}
type Presence = PlaceNews<PresenceNews> & WelcomeState;
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

/** How long a handling that took a welcome holds it: far longer than its two posts take (each within
 * the connector's 15 s deadline) and the store's writes around them. A handling that died after the
 * take (a crash, a stop) posted nothing and gave nothing back; once this has passed, and nothing
 * says the welcome was posted, the same addition handled again (a redelivery, another instance's
 * copy) takes it again rather than losing it. */
export const WELCOME_HOLD_MS = 2 * 60_000;

/** Takes the welcome of the addition Teams sent at `at`: true when this handling is to post it, false
 * when it (or that of a later addition) was taken already and is held or posted. Teams may deliver
 * one event twice (a redelivery after a slow or failed answer) and two instances may each handle a
 * copy, even at once: the addition is noted again harmlessly, but its welcome and settings cards
 * would be posted again in the channel. Compare-and-swap, so of two handlings at once one posts it;
 * the hold (WELCOME_HOLD_MS, from `now`) keeps a copy from posting it while the first may still be
 * posting, and lets one post it once the first can no longer be. */
export async function takeWelcome(records: Records, teamId: string, at: number, now: number): Promise<boolean> {
  let taken = false;
  await updateRecord<Presence>(
    records,
    presenceKey(teamId),
    (cur) => {
      taken = welcomeFree(cur, at, now);
      return taken ? { next: { ...cur, welcomedAt: at, welcomeHeldUntil: now + WELCOME_HOLD_MS } } : 'keep';
    },
    { ttlMs: PRESENCE_TTL_MS },
  );
  return taken;
}

function welcomeFree(cur: Presence | null, at: number, now: number): boolean {
  // Posted: whatever a handling that outlived its hold gives back later.
  if ((cur?.welcomePostedAt ?? -Infinity) >= at) return false;
  const takenFor = cur?.welcomedAt ?? -Infinity;
  if (takenFor !== at) return takenFor < at;
  // Taken for this addition and not known to be posted: free once the hold has passed.
  return cur?.welcomeHeldUntil !== undefined && cur.welcomeHeldUntil <= now;
}

/** Notes that the welcome and settings card of the addition sent at `at` were posted: a handling of
 * it after the hold posts them no more. */
export async function welcomePosted(records: Records, teamId: string, at: number): Promise<void> {
  await updateRecord<Presence>(
    records,
    presenceKey(teamId),
    (cur) => ((cur?.welcomePostedAt ?? -Infinity) >= at ? 'keep' : { next: { ...cur, welcomePostedAt: at } }),
    { ttlMs: PRESENCE_TTL_MS },
  );
}

/** Gives back the welcome taken for the addition sent at `at` whose post failed, so a redelivery of
 * that addition posts it. Nothing when a later addition's welcome was taken since. */
export async function giveBackWelcome(records: Records, teamId: string, at: number): Promise<void> {
  await updateRecord<Presence>(
    records,
    presenceKey(teamId),
    (cur) => {
      if (cur?.welcomedAt !== at) return 'keep';
      const { welcomedAt: _taken, welcomeHeldUntil: _held, ...rest } = cur;
      return { next: rest };
    },
    { ttlMs: PRESENCE_TTL_MS },
  );
}
