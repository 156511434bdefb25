// A newcomer tries the sandbox's help card from top to bottom (contract §1: "In the sandbox, `help`
// shows commands with demo ids that work against the simulated tenant"; the card itself says
// "every example works as typed"). Each example is typed once, in the order shown, on one tenant,
// by the user the sandbox signs in (Megan Bowen): each must succeed, not meet the state an earlier
// example left (a task processing result already resumed, an approval already decided).

import { strict as assert } from 'node:assert';
import { parseCommand } from '../../src/bot/commands';
import { createReplyCards } from '../../src/bot/replyCards';
import { Who, World, cardText } from './harness';
import { contractSession } from './contractSession';

describe('the sandbox help card, every example typed in turn', function () {
  this.timeout(60_000);
  const session = contractSession();
  const { run, audits, settle } = session;
  let world: World;
  let admin: Who;
  // The session's before hook, registered first, has started the world and the bot by now.
  before(() => {
    ({ world, admin } = session);
  });

  it('each example that names an operation succeeds, in the order the card shows them', async () => {
    const card = JSON.stringify(createReplyCards({ cloud: 'global', examples: world.seed.examples }).help().attachment);
    const examples = [...card.matchAll(/"e\.g\. ([^"]+)"/g)]
      .map((m) => m[1]!)
      .filter((text) => parseCommand(text).kind === 'operation');
    // Every command of contract §3 that names an operation: 4 cancels, 3 resumes, 6 decisions.
    assert.equal(examples.length, 13, examples.join('\n'));
    const before = audits().length;
    for (const text of examples) {
      const reply = await run(admin, text);
      assert.doesNotMatch(cardText(reply), /"style":"attention"/, `${text}: ${cardText(reply).slice(0, 600)}`);
    }
    // Not a pause: once the bot has stopped, having finished all it was doing, no line can follow.
    await settle();
    const lines = audits().slice(before);
    assert.deepEqual(
      lines.map((l) => `${String(l.outcome)} ${String(l.errorCode)}`),
      examples.map(() => 'succeeded null'),
      JSON.stringify(lines.map((l) => [l.operation, l.targetId, l.errorCode])),
    );
  });
});
