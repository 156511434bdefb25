// Contract §3: in a channel the bot's @mention is stripped; anyone else's is not. Teams sends each
// mention as `<at>name</at>` in the text and a `mention` entity naming who it is:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations

import { strict as assert } from 'node:assert';
import { withoutBotMentions } from '../../src/bot/botMentions';
import { parseCommand } from '../../src/bot/commands';

const BOT = '28:bot-app-id';
const R = '11111111-2222-4333-8444-555555555555';

function said(text: string, mentions: Array<{ id: string; text: string }>) {
  const activity = {
    text,
    recipient: { id: BOT, name: 'Governance Bot' },
    entities: mentions.map((m) => ({ type: 'mention', mentioned: { id: m.id, name: m.text }, text: m.text })),
  };
  const out = withoutBotMentions(activity);
  assert.equal(activity.text, text, 'the activity is left as it came');
  return parseCommand(out.text, out.botMentioned);
}

describe("the bot's own mentions", () => {
  const bot = { id: BOT, text: '<at>Governance Bot</at>' };
  const adele = { id: '29:adele', text: '<at>Adele Vance</at>' };

  it('removes every one of them, wherever they are', () => {
    assert.equal(said(`<at>Governance Bot</at> cancel group-request ${R}`, [bot]).kind, 'operation');
    assert.equal(said(`<at>Governance Bot</at> help <at>Governance Bot</at>`, [bot, bot]).kind, 'help');
    assert.equal(said(`cancel group-request ${R} <at>Governance Bot</at>`, [bot]).kind, 'operation');
  });

  it("refuses a command with someone else's mention, even one that opens the message", () => {
    assert.equal(said(`<at>Adele Vance</at> <at>Governance Bot</at> help`, [adele, bot]).kind, 'bad');
    assert.equal(said(`<at>Governance Bot</at> <at>Adele Vance</at> help`, [bot, adele]).kind, 'bad');
    assert.equal(
      said(`<at>Governance Bot</at> cancel group-request ${R} <at>Adele Vance</at>`, [bot, adele]).kind,
      'bad',
    );
  });

  it('takes mentions that open a message naming no one for the bot (a client that sent no entity)', () => {
    assert.equal(said(`<at>Governance Bot</at> help`, []).kind, 'help');
  });

  it("takes a message that is only the bot's mention as help, as a person who @mentions a bot expects", () => {
    assert.equal(said(`<at>Governance Bot</at>`, [bot]).kind, 'help');
    assert.equal(said(`<p><at>Governance Bot</at>&nbsp;</p>`, [bot]).kind, 'help');
    assert.equal(said(`<at>Governance Bot</at> <at>Governance Bot</at>`, [bot, bot]).kind, 'help');
    assert.equal(said(`<at>Governance Bot</at>`, []).kind, 'help', 'a client that sent no entity');
  });

  it("still calls an empty message, or only someone else's mention, no command", () => {
    assert.equal(said('', []).kind, 'bad');
    assert.equal(said(' &nbsp; ', []).kind, 'bad');
    assert.equal(said(`<at>Governance Bot</at> <at>Adele Vance</at>`, [bot, adele]).kind, 'bad');
  });
});
