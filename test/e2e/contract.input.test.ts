// The outside contract (../shared/contract.md) over real HTTP, what users type: ids that are not
// GUIDs are refused before Graph or the audit, an @mention in a channel is answered in that channel,
// and help lists every command. The server runs as in production with inbound JWT validation on.

import { strict as assert } from 'node:assert';
import { Who, World, cardText } from './harness';
import { contractSession } from './contractSession';

describe('contract over HTTP (inbound JWT validation on)', function () {
  this.timeout(60_000);
  const session = contractSession();
  const { say, run, signIn, audits } = session;
  let world: World;
  let admin: Who;
  // The session's before hook, registered first, has started the world and the bot by now.
  before(() => {
    ({ world, admin } = session);
  });

  it('refuses ids that are not GUIDs without calling Graph or writing an audit line', async () => {
    await run(admin, 'help');
    const before = audits().length;
    for (const text of [
      'cancel role-request 1234',
      'cancel run abc def',
      'approve task ../x y z',
      'cancel access-request %2e%2e',
    ]) {
      const { reply } = await say(admin, text);
      assert.match(cardText(reply), /GUID|takes/);
      assert.ok(typeof reply.activity.summary === 'string');
    }
    assert.equal(world.tenant.graphRequests().length, 0);
    assert.equal(audits().length, before);
  });

  it('answers an @mention in a channel, in that channel', async () => {
    await signIn(admin);
    const { reply, conv } = await say(admin, `cancel group-request ${world.seed.examples.groupRequestId}`, 'channel');
    assert.equal(reply.conversationId, conv);
    assert.match(cardText(reply), /Cancelled the group assignment request/);
  });

  it('lists every command in help, with a summary', async () => {
    const { reply } = await say(admin, 'HELP');
    const text = cardText(reply);
    for (const usage of [
      'cancel run',
      'cancel role-request',
      'cancel group-request',
      'cancel access-request',
      'resume task',
      'approve task',
      'reject task',
      'sign out',
    ]) {
      assert.ok(text.includes(usage), usage);
    }
    assert.equal(reply.activity.summary, 'Governance Bot commands');
  });

  session.itPrintsNoSecrets();
});
