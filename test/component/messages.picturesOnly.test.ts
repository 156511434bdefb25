// A message with a picture or a file and no words is not an empty message. Teams delivers a pasted
// picture as an image/* attachment beside the text/html copy of the message (the text may hold its
// <img> or nothing):
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/agents-inline-images (a file sent in a
// personal chat comes as a file.download.info attachment: https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/bots-filesv4)
// The bot reads typed commands only, and says so, instead of "The message was empty."

import { strict as assert } from 'node:assert';
import { Rig, cardsOf } from './botRig';
import { rigPerTest } from './rigPerTest';

const PICTURE =
  '<p><img alt="image" src="https://smba.trafficmanager.net/amer/v3/attachments/0-wus-d1/views/original" itemscope="png"></p>';

describe('a message of pictures or files only', () => {
  let rig: Rig;
  rigPerTest((r) => (rig = r));

  it('a pasted picture: the bot reads typed commands only, not "the message was empty"', async () => {
    const { sent } = await rig.message(rig.user(0), PICTURE, {
      attachments: [
        {
          contentType: 'image/*',
          contentUrl: 'https://smba.trafficmanager.net/amer/v3/attachments/0-wus-d1/views/original',
        },
        { contentType: 'text/html', content: PICTURE },
      ],
    });
    const card = cardsOf(sent);
    assert.match(card, /reads typed commands only/);
    assert.doesNotMatch(card, /The message was empty/);
  });

  it("in a channel, the bot's @mention and a picture: the same, not the help a mention alone gets", async () => {
    // Teams delivers a channel message to the bot only when it is @mentioned:
    // https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations
    const text = `<p><at>Governance Bot</at> ${PICTURE}</p>`;
    const image = {
      contentType: 'image/*',
      contentUrl: 'https://smba.trafficmanager.net/amer/v3/attachments/0-wus-d1',
    };
    const { sent } = await rig.message(rig.user(0), text, {
      attachments: [image, { contentType: 'text/html', content: text }],
    });
    assert.match(cardsOf(sent), /reads typed commands only/);
    const alone = cardsOf((await rig.message(rig.user(0), '<at>Governance Bot</at>')).sent);
    assert.doesNotMatch(alone, /reads typed commands only/);
  });

  it('a file with no text: the same', async () => {
    const { sent } = await rig.message(rig.user(0), undefined as never, {
      attachments: [{ contentType: 'application/vnd.microsoft.teams.file.download.info', name: 'a.pdf', content: {} }],
    });
    const card = cardsOf(sent);
    assert.match(card, /reads typed commands only/);
    assert.doesNotMatch(card, /The message was empty/);
  });

  it('an empty message with only its text/html copy is still empty; a picture beside a command runs it', async () => {
    const empty = cardsOf(
      (await rig.message(rig.user(0), '', { attachments: [{ contentType: 'text/html', content: '' }] })).sent,
    );
    assert.match(empty, /The message was empty/);
    const emoji =
      '<img alt="😀" itemtype="http://schema.skype.com/Emoji" src="https://statics.teams.cdn.office.net/x.png">';
    assert.doesNotMatch(cardsOf((await rig.message(rig.user(0), emoji)).sent), /reads typed commands only/);
    const help = cardsOf((await rig.message(rig.user(0), `help ${PICTURE}`)).sent);
    assert.doesNotMatch(help, /reads typed commands only/);
    assert.doesNotMatch(help, /I did not understand that/);
  });
});
