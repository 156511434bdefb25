// Teams refusing the posts in one channel, for the channel alert tests: the channel alerts session
// (channelAlertsSession.ts) with the documented refusal codes by the conversation, a refusal of
// every post in a channel (tries counted), and each channel's delivery state for an event.
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/build-conversational-capability#status-codes-from-bot-conversational-apis

import { teamsError } from '../fixtures/deliverySession';
import { channelAlertsSession } from './channelAlertsSession';

/** The documented code of a refusal by the conversation, per status. */
export const REFUSED = { 403: 'BotNotInConversationRoster', 404: 'ConversationNotFound' } as Record<number, string>;

/** A channel alerts session (registers its mocha hooks), its steps, and refusals on its rig. */
export function refusedChannelSession() {
  const session = channelAlertsSession();

  /** Teams answers `status` (with `code`, by default the table's refusal by the conversation) for
   * every post in `channelId` and posts elsewhere; the tries per channel are counted. */
  function refuseIn(channelId: string, status: number, code = REFUSED[status]): Map<string, number> {
    const { a } = session;
    const tries = new Map<string, number>();
    a.sendImpl = async (reference, card) => {
      const id = reference.conversation?.id ?? '';
      tries.set(id, (tries.get(id) ?? 0) + 1);
      if (id === channelId) throw teamsError(status, undefined, code);
      return a.record(reference, card);
    };
    return tries;
  }

  /** The state of the event's delivery to each channel, by channel id. */
  const statesOf = async (eventId: string) =>
    Object.fromEntries(((await session.a.alerts.channels(eventId)) ?? []).map((c) => [c.channelId, c.state]));

  const { owner, auditLines, install } = session;
  return { session, owner, auditLines, install, refuseIn, statesOf };
}
