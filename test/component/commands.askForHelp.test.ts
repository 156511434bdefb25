// How a card tells a person to ask for help. "Bots in a group or channel only receive messages when
// they're mentioned @botname", so a card there that says "Type help" has the person write to the
// other members instead:
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import { explain } from '../../src/cards/wording';
import { BadInputError } from '../../src/domain/errors';
import { CATALOG } from '../../src/domain/operations';
import { Rig, cardsOf } from './botRig';
import { rigPerTest } from './rigPerTest';

const CHANNEL: Partial<Activity> = {
  conversation: { id: '19:ops@thread.tacv2', conversationType: 'channel', isGroup: true, name: '', tenantId: '' },
  channelData: { channel: { id: '19:ops@thread.tacv2' }, team: { id: '19:team@thread.tacv2' } },
};
const GROUP_CHAT: Partial<Activity> = {
  conversation: { id: '19:group@thread.v2', conversationType: 'groupChat', isGroup: true, name: '', tenantId: '' },
};

describe('cards say how to ask for help in the conversation they are in', () => {
  let rig: Rig;
  rigPerTest((r) => (rig = r));

  const where = (extra: Partial<Activity>): Partial<Activity> => ({
    ...extra,
    conversation: { ...extra.conversation!, tenantId: rig.seed.tenantId },
  });

  it('a command not understood in a personal chat: type "help"', async () => {
    const { sent } = await rig.message(rig.user(0), 'frobnicate');
    const card = cardsOf(sent);
    assert.match(card, /I did not understand that/);
    assert.match(card, /Type \\"help\\" to see every command\./);
    assert.doesNotMatch(card, /@mention/);
  });

  for (const [name, extra] of [
    ['a channel', CHANNEL],
    ['a group chat', GROUP_CHAT],
  ] as const) {
    it(`a command not understood in ${name}: @mention the bot with "help", never "Type help"`, async () => {
      const { sent } = await rig.message(rig.user(0), 'frobnicate', where(extra));
      const card = cardsOf(sent);
      assert.match(card, /I did not understand that/);
      assert.match(card, /@mention Governance Bot and type \\"help\\"/);
      assert.doesNotMatch(card, /Type \\"?\**help/);
    });

    it(`an invoke the bot does not know, in ${name}: @mention the bot with "help"`, async () => {
      const { invoke } = await rig.invoke(rig.user(0), 'task/fetch', {}, where(extra));
      assert.equal(invoke?.status, 200);
      const body = JSON.stringify(invoke?.body);
      assert.match(body, /@mention Governance Bot and type \\"help\\"/);
      assert.doesNotMatch(body, /Type help/);
    });
  }

  it('an input the bot refuses itself says nothing was sent, not "Type help" (its conversation unknown)', () => {
    for (const by of ['button', 'command', 'commandAlone'] as const) {
      const w = explain(new BadInputError('requestId must be a GUID.'), CATALOG.cancelRoleRequest, undefined, by);
      assert.doesNotMatch(`${w.what} ${w.next}`, /Type help/);
      assert.match(w.next, /Nothing was sent to Microsoft Graph\./);
    }
  });
});
