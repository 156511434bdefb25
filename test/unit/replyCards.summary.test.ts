// The summary of a bot card is the line Teams shows in the activity feed and notifications
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/format-your-bot-messages).
// Every notification event's card is an item card, whose summary carries the event's own text: cut
// inside a surrogate pair, it would carry half an emoji (not valid Unicode) to Teams.

import { strict as assert } from 'node:assert';
import { itemCard } from '../../src/bot/replyCards';

const ID = '5e1f0a11-0000-4aaa-8bbb-00000000c0de';
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('reply cards: the one-line summary', () => {
  it('cuts an item card’s summary between whole characters', () => {
    const target = { operation: 'decideRoleApproval' as const, ids: { requestId: ID } };
    for (const pad of ['', 'x']) {
      const text = `${pad}${'😀'.repeat(100)}`;
      for (const view of [{ text }, { text: 'Role request.', notice: text }]) {
        const { summary } = itemCard(target, { ...view, settled: false });
        assert.doesNotMatch(summary, loneSurrogate, JSON.stringify(summary.slice(-4)));
        assert.ok(summary.length <= 120 && summary.endsWith('…'), `${summary.length} ${summary.slice(-3)}`);
      }
    }
  });
});
