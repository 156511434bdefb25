// The usage card's heading says what happened. "I did not understand that" fits words that are no
// command; it does not fit an answer to a command the bot did understand, such as "alerts on
// digest" (the daily digest is switched on the settings card, README "Channel alerts"). And after
// a slip in the keywords the card offers the command with the values typed (contract §3: "the
// closest valid usage, and no Graph call").

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import { Rig, cardsOf } from './botRig';
import { rigPerTest } from './rigPerTest';

const R = '6b6f1c36-8d06-4386-a377-79dbab1a2eb6';

describe('the usage card: its heading and the command offered', () => {
  let rig: Rig;
  rigPerTest((r) => (rig = r));

  it('heads an answer to "alerts on digest" with the digest, not with "I did not understand that"', async () => {
    const { sent } = await rig.message(rig.user(0), 'alerts on digest');
    const card = cardsOf(sent);
    assert.doesNotMatch(card, /I did not understand that/);
    assert.match(card, /daily digest is switched on the settings card/i);
  });

  it('heads a refused value with the command it follows, and keeps "I did not understand that" for no command', async () => {
    const value = cardsOf((await rig.message(rig.user(0), 'cancel role-request 6b6f')).sent);
    assert.doesNotMatch(value, /I did not understand that/);
    assert.match(value, /Check what follows \\"cancel role-request\\"/);
    const signIn = cardsOf((await rig.message(rig.user(0), 'sign in')).sent);
    assert.doesNotMatch(signIn, /I did not understand that/);
    const none = cardsOf((await rig.message(rig.user(0), 'frobnicate')).sent);
    assert.match(none, /I did not understand that/);
  });

  it('offers "cancel role request <id>" as "cancel role-request <id>", and calls no Graph', async () => {
    rig.tenant.clearLog();
    const { sent } = await rig.message(rig.user(0), `cancel role request ${R}`);
    assert.equal(rig.tenant.graphRequests().length, 0, 'no Graph call');
    const card = cardsOf(sent);
    assert.ok(card.includes(`cancel role-request ${R}`), card);
    assert.ok(card.includes('cancel role-request <requestId>'), card);
  });

  // The summary is what Teams shows in the notification and the chat list: it says what the card
  // says, not "Not a valid command" for a command the bot understood or a slip it recognised.
  it('summarises with what was understood, as the heading does', async () => {
    const summary = async (text: string) => String((await rig.message(rig.user(0), text)).sent[0]!.summary);
    const slip = await summary('myapprovals');
    assert.doesNotMatch(slip, /Not a valid command/);
    assert.match(slip, /Did you mean "my approvals"\?/);
    const typed = await summary(`cancel role request ${R}`);
    assert.doesNotMatch(typed, /Not a valid command/);
    assert.match(typed, /Did you mean "cancel role-request"\?/);
    const digest = await summary('alerts on digest');
    assert.match(digest, /^The daily digest is switched on the settings card/);
    assert.match(
      await summary('cancel role-request 6b6f'),
      /^Check what follows "cancel role-request"\. requestId must/,
    );
    assert.match(await summary('frobnicate'), /"frobnicate" is not a command I know/);
  });

  // A refused id's summary (at most 120 units) spent its room on the GUID sample and the value
  // typed, and was cut before what to do; the card itself still shows both.
  it('summarises a refused id with what to change, not cut', async () => {
    const summary = async (text: string) => String((await rig.message(rig.user(0), text)).sent[0]!.summary);
    const braces = await summary('cancel role-request {6b6f0c3e-1111-4aaa-8bbb-000000000001}');
    assert.equal(
      braces,
      'Check what follows "cancel role-request". requestId must be a GUID. Leave out "{" before it and "}" after it.',
    );
    const cyrillic = await summary('cancel role-request 6b6f0c3\u0435-1111-4aaa-8bbb-000000000001');
    assert.ok(cyrillic.includes('requestId must be a GUID. It holds "\u0435" (U+0435) after "6b6f0c3"'), cyrillic);
    const card = cardsOf(
      (await rig.message(rig.user(0), 'cancel role-request {6b6f0c3e-1111-4aaa-8bbb-000000000001}')).sent,
    );
    assert.ok(card.includes('00000000-0000-0000-0000-000000000000, not \\"{6b6f0c3e-'), card);
  });

  // "alerts on …" works in a team channel only (README "Channel alerts"): offered in a personal
  // chat without a word on where, it leads to a second refusal ("Alerts are set per channel").
  it('offers an alerts command after a slip saying where it works, outside a channel only', async () => {
    const personal = await rig.message(rig.user(0), 'alert on role-requests');
    const card = cardsOf(personal.sent);
    assert.match(card, /Did you mean \\"alerts on\\"\? It works in a team channel only/);
    assert.match(String(personal.sent[0]!.summary), /It works in a team channel only/);
    const where = {
      conversation: { id: '19:ops@thread.tacv2', conversationType: 'channel' },
      channelData: { team: { id: '19:ops@thread.tacv2' }, channel: { id: '19:ops@thread.tacv2' } },
    } as Partial<Activity>;
    const channel = cardsOf((await rig.message(rig.user(0), 'alert on role-requests', where)).sent);
    assert.match(channel, /Did you mean \\"alerts on\\"\?/);
    assert.doesNotMatch(channel, /team channel only/);
    // Other slips say nothing of channels.
    assert.doesNotMatch(cardsOf((await rig.message(rig.user(0), 'myapprovals')).sent), /channel only/);
  });
});
