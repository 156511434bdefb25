// Contract §3 names the help card "a card listing every command with an example": each command's
// entry on the card has its usage line and, under it, an example line, also for a command that
// takes no values (its example is the command itself).

import { strict as assert } from 'node:assert';
import { FIXED_COMMANDS, GRAMMAR, usageOf } from '../../src/bot/commands';
import { createReplyCards } from '../../src/bot/replyCards';

type Node = { type?: string; text?: string; items?: Node[]; inlines?: Node[]; body?: Node[] };

/** The card's command entries: each a container whose items are the description, the usage line
 * and the example line. */
function entries(card: Node): Array<{ usage: string; example: string }> {
  const out: Array<{ usage: string; example: string }> = [];
  const walk = (n: Node): void => {
    const runs = (n.items ?? []).map((i) => i.inlines?.map((r) => r.text ?? '').join('') ?? null);
    if (n.type === 'Container' && runs.length >= 2 && runs[1] !== null)
      out.push({ usage: runs[1] ?? '', example: runs[2] ?? '' });
    for (const c of [...(n.items ?? []), ...(n.body ?? [])]) walk(c);
  };
  walk(card);
  return out;
}

describe('help: every command with an example (contract §3)', () => {
  it('every entry has an example line, also a command that takes no values', () => {
    const card = createReplyCards({ cloud: 'global', examples: null }).help().attachment.content as Node;
    const listed = entries(card);
    const usages = [
      FIXED_COMMANDS.help.usage,
      FIXED_COMMANDS.myApprovals.usage,
      FIXED_COMMANDS.myRequests.usage,
      FIXED_COMMANDS.signOut.usage,
      'alerts',
      ...GRAMMAR.map(usageOf),
    ];
    for (const usage of usages) {
      const entry = listed.find((e) => e.usage === usage);
      assert.ok(entry, `${usage} is listed: ${JSON.stringify(listed)}`);
      assert.match(entry.example, /^e\.g\. \S/, `${usage}: ${JSON.stringify(entry)}`);
    }
    assert.equal(listed.filter((e) => !/^e\.g\. \S/.test(e.example)).length, 0, JSON.stringify(listed));
  });
});
