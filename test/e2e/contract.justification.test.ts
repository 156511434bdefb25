// README "Chat commands" (part of ../shared/contract.md), written from the README alone: "A deny
// needs a justification ...; at most 500 characters". A justification of 300 characters outside
// the Basic Multilingual Plane (U+20000, one CJK ideograph: one Unicode code point, one grapheme,
// two UTF-16 code units) is within that limit, and the deny goes to Graph (README: the bot reads
// the approval and decides the stage that waits for the user).

import { strict as assert } from 'node:assert';
import { Who, World, cardText } from './harness';
import { contractSession } from './contractSession';

describe('contract: the justification limit counts characters', function () {
  this.timeout(60_000);
  const session = contractSession();
  const { run, signIn } = session;
  let world: World;
  let admin: Who;
  // The session's before hook, registered first, has started the world and the bot by now.
  before(() => {
    ({ world, admin } = session);
  });

  it('denies with a justification of 300 characters outside the Basic Multilingual Plane', async () => {
    await signIn(admin);
    world.tenant.clearLog();
    const justification = '\u{20000}'.repeat(300);
    assert.equal([...justification].length, 300);
    const reply = await run(admin, `deny group-request ${world.seed.examples.groupRequestId} ${justification}`);
    // Not the usage card (a refusal of the command's words), which always ends so.
    assert.doesNotMatch(cardText(reply), /Nothing was sent to Microsoft Graph/, cardText(reply).slice(0, 400));
    const patch = world.tenant.graphRequests().find((r) => r.method === 'PATCH');
    assert.ok(patch, 'the deny reached Graph');
    assert.equal((JSON.parse(patch.body ?? '{}') as { justification?: string }).justification, justification);
  });
});
