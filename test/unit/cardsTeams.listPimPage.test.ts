// A full page of PIM approvals is the heaviest list card: each PIM row asks for a reason before
// Approve (PIM's default policy requires the approver's justification) as well as before Deny.
// Two "Why?" boxes a row made ten rows, the notes and More weigh more than Teams accepts in one
// message (413 MessageSizeTooBig) even with every name cut to a few characters, and at that cut
// the heading no longer named the role. A PIM row now asks "Why?" once, in one box that Approve
// and Deny both send.
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/format-your-bot-messages

import { strict as assert } from 'node:assert';
import { LIST_CARD_BYTES, PAGE_SIZE, listCard } from '../../src/bot/listCards';
import type { WorkItem, WorkKind } from '../../src/domain/myWork';
import type { ListSnapshot } from '../../src/state/listCards';
import { libraryProblems, nodesOf, plainTexts } from './cardsTeams.cardWalk';

const now = Date.UTC(2026, 2, 4, 20, 0, 0);
const ROLE = 'Privileged Role Administrator';

function page(kind: WorkKind): ListSnapshot<WorkItem> {
  const items: WorkItem[] = Array.from({ length: PAGE_SIZE + 5 }, (_, i) => ({
    kind,
    requestId: `95c690fb-3eb3-4942-a03f-${String(i).padStart(12, '0')}`,
    requester: 'Alex Wilber',
    what: ROLE,
    justification: 'Rotating the break-glass credentials for the quarterly access review, ticket CHG-4711.',
    duration: 'PT8H',
    createdAt: '2026-03-04T10:00:00Z',
    expiresAt: '2026-03-05T10:00:00Z',
  }));
  return {
    list: 'approvals',
    userId: 'u',
    userName: 'Megan Bowen',
    items,
    offset: 0,
    next: { role: 'https://graph.microsoft.com/v1.0/next' },
    capped: ['role', 'group', 'access'],
    problems: ['PIM for Groups approvals could not be listed: not permitted. Ask an administrator.'],
    outcomes: {},
  };
}

describe('cards in Teams: a full page of PIM approvals', () => {
  for (const kind of ['role', 'group'] as const) {
    it(`fits the list's budget and still names the role (${kind} rows, notes and More)`, () => {
      const reply = listCard(page(kind), now);
      assert.deepEqual(libraryProblems(reply.attachment.content), []);
      const size = Buffer.byteLength(JSON.stringify([reply.attachment, reply.summary]), 'utf8');
      assert.ok(size <= LIST_CARD_BYTES, `${size} bytes > ${LIST_CARD_BYTES}`);
      const shown = plainTexts(reply.attachment.content).join('\n');
      assert.ok(shown.includes(ROLE.slice(0, 20)), `the role is named: ${shown.slice(0, 400)}`);
      assert.ok(
        nodesOf(reply.attachment.content).some((n) => n.type === 'Action.Execute' && n.title === 'More'),
        'More is shown',
      );
    });
  }

  it('asks "Why?" once a PIM row: one box, which Approve and Deny both send', () => {
    const reply = listCard(page('role'), now);
    const shows = nodesOf(reply.attachment.content).filter((n) => n.type === 'Action.ShowCard');
    assert.equal(shows.length, PAGE_SIZE);
    for (const show of shows) {
      assert.equal(show.title, 'Approve or deny');
      const inner = nodesOf(show.card);
      const boxes = inner.filter((n) => n.type === 'Input.Text');
      assert.equal(boxes.length, 1);
      assert.equal(boxes[0]!.isRequired, true);
      const buttons = inner.filter((n) => n.type === 'Action.Execute');
      assert.deepEqual(
        buttons.map((b) => b.title),
        ['Approve', 'Deny'],
      );
    }
  });
});
