// The help card's last line told people to @mention the bot "in a channel" only. The app is
// installed in group chats too (manifest scopes personal, team, groupChat) and asks for no
// resource-specific consent to read every message, so in a group chat a command typed without the
// mention never reaches the bot, and nothing answers: "By default, bots in group chats and
// channels only receive messages when they're directly @mentioned."
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createReplyCards } from '../../src/bot/replyCards';
import { projectRoot } from '../../src/paths';
import { loadDemoSeed } from '../../src/sandbox/seed';

/** Every TextBlock and TextRun text of a card. */
function texts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => texts(n, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.text === 'string') out.push(o.text);
    Object.values(o).forEach((v) => texts(v, out));
  }
  return out;
}

describe('help: where a command needs the @mention', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'manifest', 'manifest.json'), 'utf8')) as {
    bots: Array<{ scopes: string[] }>;
    authorization?: { permissions?: { resourceSpecific?: Array<{ name: string }> } };
  };

  it('the app is in group chats and cannot hear messages there without the mention', () => {
    assert.ok(manifest.bots[0]?.scopes.includes('groupChat'));
    const rsc = manifest.authorization?.permissions?.resourceSpecific ?? [];
    assert.ok(!rsc.some((p) => /^ChatMessage\.Read\.Chat$/i.test(p.name)), 'no RSC to read every chat message');
  });

  for (const [name, examples] of [
    ['real tenant', null],
    ['sandbox', loadDemoSeed().examples],
  ] as const) {
    it(`says to @mention the bot in a group chat as in a channel (${name})`, () => {
      const card = createReplyCards({ cloud: 'global', examples }).help().attachment.content;
      const note = texts(card).find((t) => /@mention/.test(t)) ?? '';
      assert.match(note, /In a group chat or a channel, @mention the bot first\./);
    });
  }
});
