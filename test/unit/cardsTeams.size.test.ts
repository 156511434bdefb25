// The largest cards the bot can send stay within what Teams accepts in one message. Microsoft
// documents about 100 KB for a message today (40 KB on older pages), and about 28 KB is widely
// reported for a card; over the limit the send fails with 413 MessageSizeTooBig. The bot keeps
// every card under 28 KB, counted in UTF-8 bytes of the whole activity as it is posted.
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/format-your-bot-messages
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-reference

import { strict as assert } from 'node:assert';
import { settingsCard } from '../../src/alerts/cards';
import { CATEGORY_IDS } from '../../src/alerts/categories';
import { listCard, PAGE_SIZE } from '../../src/bot/listCards';
import { itemCard } from '../../src/bot/replyCards';
import type { WorkItem } from '../../src/domain/myWork';
import type { ListSnapshot } from '../../src/state/listCards';
import { libraryProblems } from './cardsTeams.cardWalk';

const LIMIT = 28 * 1024;
/** Graph values are kept to 300 characters (myWorkReader); the worst case in bytes is a script
 * of three UTF-8 bytes a character, such as CJK. */
const longest = (n: number): string => '名'.repeat(n);

function bytesOf(reply: { attachment: { content?: unknown }; summary: string }): number {
  assert.deepEqual(libraryProblems(reply.attachment.content), []);
  const activity = { type: 'message', attachments: [reply.attachment], summary: reply.summary };
  return Buffer.byteLength(JSON.stringify(activity), 'utf8');
}

function fullList(list: 'approvals' | 'requests', acted: boolean): ListSnapshot<WorkItem> {
  const items: WorkItem[] = Array.from({ length: PAGE_SIZE + 5 }, (_, i) => ({
    kind: (['role', 'group', 'access'] as const)[i % 3] ?? 'role',
    requestId: `95c690fb-3eb3-4942-a03f-${String(i).padStart(12, '0')}`,
    requester: longest(300),
    what: longest(300),
    justification: longest(300),
    duration: 'P365DT23H59M59S',
    createdAt: '2026-03-04T10:00:00Z',
    expiresAt: '2026-03-05T10:00:00Z',
  }));
  return {
    list,
    userId: 'u',
    items,
    offset: 0,
    next: { role: 'https://graph.microsoft.com/v1.0/next' },
    capped: ['role', 'group', 'access'],
    problems: ['PIM for Groups approvals could not be listed: not permitted. Ask an administrator.'],
    outcomes: acted
      ? Object.fromEntries(items.map((it) => [it.requestId, { text: `Approved by ${longest(300)}`, style: 'good' }]))
      : {},
  };
}

describe('cards in Teams: size', () => {
  it('a full page of my approvals or my requests, with the longest values Graph gives, stays under 28 KB', () => {
    const now = Date.UTC(2026, 2, 4, 20, 0, 0);
    for (const list of ['approvals', 'requests'] as const) {
      for (const acted of [false, true]) {
        const size = bytesOf(listCard(fullList(list, acted), now));
        assert.ok(size <= LIMIT, `${list}${acted ? ' (acted on)' : ''}: ${size} bytes > ${LIMIT}`);
      }
    }
  });

  it('a notification card with the longest title, details and names the intake accepts stays under 28 KB', () => {
    // events.ts: title 200, details 1000, principal and role names 200 each, workflow and subject 200; the longer of the two addressee wordings.
    const text = `${longest(200)} requested ${longest(200)} for ${longest(40)}. It waits for an approver's decision. ${longest(1000)}`;
    const reply = itemCard(
      { operation: 'decideAccessPackageApproval', ids: { requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e' } },
      {
        title: longest(200),
        text,
        facts: [
          { title: 'Workflow', value: longest(200) },
          { title: 'Subject', value: longest(200) },
        ],
        settled: false,
      },
    );
    const size = bytesOf(reply);
    assert.ok(size <= LIMIT, `${size} bytes > ${LIMIT}`);
  });

  it('a pressed card keeping the longest subject the intake accepts, with a long outcome, stays under 28 KB', () => {
    // events.ts: the line is the headline without "It waits for …" and without the details.
    const about = {
      title: longest(200),
      line: `${longest(200)} requested ${longest(200)} for ${longest(40)}.`,
      facts: [
        { title: 'Workflow', value: longest(200) },
        { title: 'Subject', value: longest(200) },
      ],
    };
    const target = {
      operation: 'decideAccessPackageApproval' as const,
      ids: { requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e' },
    };
    const text = `Someone else already decided: it is Denied by ${longest(300)} at 10:00 UTC on 2026-03-04, so "Approve" was not applied.`;
    const size = bytesOf(itemCard(target, { text, notice: longest(600), settled: true, about }));
    assert.ok(size <= LIMIT, `${size} bytes > ${LIMIT}`);
  });

  it('a settings card, its Save carrying every value it shows, with the longest channel name, stays under 28 KB', () => {
    // alertChannel.ts keeps a channel's name to 256 characters; the suspension's reason is the bot's.
    const suspended = { status: 403, reason: longest(300), since: Date.UTC(2026, 2, 4) };
    const settings = { categories: [...CATEGORY_IDS], digest: true, suspended };
    const text = `I could not check in time whether you may change the alerts of #${longest(256)}. ${longest(300)}`;
    const attachment = settingsCard(longest(256), settings, { title: longest(40), text }, true);
    const size = bytesOf({ attachment, summary: `Alert settings saved for #${longest(256)}` });
    assert.ok(size <= LIMIT, `${size} bytes > ${LIMIT}`);
  });
});
