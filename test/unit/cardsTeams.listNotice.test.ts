// A list card that has to shorten names from Graph to stay under Teams' message size still tells
// the clicker in full why their click did nothing: an error names the delegated permission and
// the Entra role the action needs (contract §6), and those come last in the sentence, so a notice
// cut at 160 characters lost exactly them. The notice is the bot's own wording on one row only,
// so it never needs cutting to fit.
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/format-your-bot-messages
// https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0 (permissions)

import { strict as assert } from 'node:assert';
import { PAGE_SIZE, listCard } from '../../src/bot/listCards';
import { createReplyCards } from '../../src/bot/replyCards';
import { graphStateOutcome } from '../../src/domain/clickOutcomes';
import { NotPermittedError } from '../../src/domain/errors';
import { WorkItem, targetOf } from '../../src/domain/myWork';
import type { ListSnapshot } from '../../src/state/listCards';
import { libraryProblems, nodesOf } from './cardsTeams.cardWalk';

const LIMIT = 28 * 1024;
const now = Date.UTC(2026, 2, 4, 20, 0, 0);
/** Graph values are kept to 300 characters; three UTF-8 bytes each is the worst case. */
const longest = (n: number): string => '名'.repeat(n);

function longPage(): ListSnapshot<WorkItem> {
  const items: WorkItem[] = Array.from({ length: PAGE_SIZE }, (_, i) => ({
    kind: 'role',
    requestId: `95c690fb-3eb3-4942-a03f-${String(i).padStart(12, '0')}`,
    requester: longest(300),
    what: longest(300),
    justification: longest(300),
    duration: 'PT8H',
    createdAt: '2026-03-04T10:00:00Z',
    expiresAt: '2026-03-05T10:00:00Z',
  }));
  return { list: 'approvals', userId: 'u', items, offset: 0, next: {}, capped: [], problems: [], outcomes: {} };
}

describe('cards in Teams: a shortened list card keeps the clicker’s notice whole', () => {
  it('names the permission and role a refused click needs, even when names are shortened', () => {
    const s = longPage();
    const item = s.items[3] as WorkItem;
    const cards = createReplyCards({ cloud: 'global', examples: null });
    const text = cards.errorWords(
      new NotPermittedError('x', { status: 403, requestId: 'r', errorCode: 'Forbidden' }),
      targetOf('approvals', item),
    );
    assert.ok(text.length > 160, 'the refusal is longer than the shortest cut');
    const reply = listCard(s, now, { requestId: item.requestId, text });
    const content = reply.attachment.content as Record<string, unknown>;
    assert.deepEqual(libraryProblems(content), []);
    const shown = nodesOf(content)
      .filter((n) => n.type === 'TextRun')
      .map((n) => String(n.text).replace(/\u200b/g, ''));
    assert.ok(!shown.includes(longest(300)), 'names were shortened to fit');
    assert.ok(shown.includes(text), 'the notice is shown whole');
    const size = Buffer.byteLength(
      JSON.stringify({ type: 'message', attachments: [reply.attachment], summary: reply.summary }),
    );
    assert.ok(size <= LIMIT, `${size} bytes > ${LIMIT}`);
  });

  it('keeps the end of an outcome (what became of the click) when the name in it is shortened', () => {
    const page = longPage();
    const item = page.items[5] as WorkItem;
    // A reviewer's name from Graph (kept to 200 characters) sits in the middle of the sentence.
    const decided = { decidedBy: { user: { displayName: longest(200) } }, decidedAt: '2026-03-04T10:00:00Z' };
    const outcome = graphStateOutcome({ ...targetOf('approvals', item), decision: 'approve' }, 'Denied', decided);
    assert.ok(outcome.kind === 'settled');
    const s = { ...page, outcomes: { [item.requestId]: { text: outcome.text, style: outcome.style } } };
    const reply = listCard(s, now);
    const content = reply.attachment.content as Record<string, unknown>;
    const shown = nodesOf(content)
      .filter((n) => n.type === 'TextRun' && n.color === 'warning')
      .map((n) => String(n.text).replace(/\u200b/g, ''));
    assert.equal(shown.length, 1);
    const [notice] = shown as [string];
    assert.ok(notice.length < outcome.text.length, 'the outcome was shortened with the names');
    assert.ok(notice.startsWith('Someone else already decided: it is Denied by '), notice);
    assert.ok(notice.endsWith('at 10:00 UTC on 2026-03-04 now, so "Approve" was not applied.'), notice);
  });
});
