// What a suspended channel's settings card says about when its kept choices apply again. A channel
// suspended by Teams' refusal of a post resumes when the bot is added back to the team; one
// suspended because the whole team was archived or deleted resumes when the team is back, and a
// deleted channel when Teams restores it
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events).
// The note said "when Governance Bot is added back to the team" for every one of them.

import { strict as assert } from 'node:assert';
import { channelDeletedSuspension } from '../../src/alerts/channelDeletion';
import { suspensionNote, suspensionOf, teamEventSuspension } from '../../src/alerts/channelSuspension';

const SINCE = Date.parse('2026-11-29T12:00:00Z');

describe('the settings card note of a suspended channel', () => {
  it('a refusal of a post: the choices apply again when the bot is added back to the team', () => {
    const note = suspensionNote({ status: 403, reason: 'Teams refused the post.', since: SINCE });
    assert.match(note, /apply again when Governance Bot is added back to the team/);
  });

  it('an archived or deleted team: when the team is back, not when the bot is added back', () => {
    for (const event of ['archived', 'deleted'] as const) {
      const note = suspensionNote(teamEventSuspension(event, SINCE));
      assert.doesNotMatch(note, /added back/, note);
      assert.match(
        note,
        /alerts resume (when it is unarchived|if it is restored)\. The choices below are kept: they apply again then/,
      );
    }
  });

  // An archived team is read-only: nobody can send a message in its channels
  // (https://learn.microsoft.com/en-us/graph/api/team-archive), so none can @mention the bot
  // there to save; a deleted team or channel cannot be opened at all. The note told them to save.
  it('an archived or deleted team, or a deleted channel: no "saves them here", which cannot be done there', () => {
    for (const s of [
      teamEventSuspension('archived', SINCE),
      teamEventSuspension('deleted', SINCE),
      channelDeletedSuspension(SINCE),
    ]) {
      const note = suspensionNote(s);
      assert.doesNotMatch(note, /saves? them here/, note);
      assert.match(note, /The choices below are kept: they apply again then\.$/, note);
    }
    // A refused post: the channel may still be open, and a Save there resumes it (README).
    const refused = suspensionNote({ status: 403, reason: 'Teams refused the post.', since: SINCE });
    assert.match(refused, /, or when someone saves them here\.$/);
  });

  it('a deleted channel: when it is restored, not when the bot is added back', () => {
    const note = suspensionNote(channelDeletedSuspension(SINCE));
    assert.doesNotMatch(note, /added back/, note);
    assert.match(note, /alerts resume if it is restored\. The choices below are kept: they apply again then/);
  });

  // A 404 on a post says the channel may have been deleted; a deleted channel Teams restores is
  // listed again (channelRestored), and that resumes it as the bot's return does (README "Channel
  // alerts"). The note named only the bot's return, sending an ops person to re-add a bot that
  // never left.
  it('a 404 refusal: when the channel is restored or the bot is added back', () => {
    const note = suspensionNote(suspensionOf({ status: 404, code: 'ConversationNotFound' }, SINCE));
    assert.match(note, /it was deleted/);
    assert.match(note, /apply again when the channel is restored or Governance Bot is added back to the team/);
    const refused = suspensionNote(suspensionOf({ status: 403, code: 'BotNotInConversationRoster' }, SINCE));
    assert.doesNotMatch(refused, /restored/, refused);
  });
});
