// Text that comes from outside the bot (names and justifications from Graph or a notification
// event, a user's display name, a channel or team name) must show on a card as the text it is.
// Teams renders a Markdown subset (bold, italic, lists, links) in TextBlock.text, Fact.title and
// Fact.value; a TextRun of a RichTextBlock is plain text ("Markdown is not supported"), and
// backslash escapes render differently on desktop and mobile, so escaping is no answer.
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-format
// https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/text-features
// https://learn.microsoft.com/en-us/adaptive-cards/schema-explorer/text-run
// https://github.com/microsoft/AdaptiveCards/issues/5590 (escapes on Teams mobile)

import { strict as assert } from 'node:assert';
import { actionAlertCard } from '../../src/alerts/actionFeed';
import { settingsCard, welcomeCard } from '../../src/alerts/cards';
import { digestCard } from '../../src/alerts/digest';
import { reminderCard } from '../../src/alerts/reminders';
import { listCard } from '../../src/bot/listCards';
import { createReplyCards, itemCard } from '../../src/bot/replyCards';
import { DecidedElsewhereError } from '../../src/domain/errors';
import type { WorkItem } from '../../src/domain/myWork';
import type { ListSnapshot } from '../../src/state/listCards';
import { libraryProblems, markdownTexts, plainTexts } from './cardsTeams.cardWalk';

const ID = '95c690fb-3eb3-4942-a03f-4524aed6f31e';
const EVIL = '[Click here](https://evil.example) **x** _y_ <at>Megan</at>\n- a\n1. b';
const graph = { status: 409, requestId: 'req-1', errorCode: 'X' };
const cards = createReplyCards({ cloud: 'global', examples: null });
const now = Date.UTC(2026, 2, 4, 20, 0, 0);

/** The outside text appears on the card, and only where Teams shows it as plain text. */
function showsAsText(name: string, attachment: { content?: unknown }): void {
  const content = (attachment.content ?? {}) as Record<string, unknown>;
  assert.deepEqual(libraryProblems(content), [], `${name}: the Adaptive Cards library accepts it`);
  const md = markdownTexts(content).filter((t) => t.includes('evil.example') || t.includes('<at>'));
  assert.deepEqual(md, [], `${name}: no TextBlock or Fact renders the outside text as Markdown`);
  assert.ok(
    plainTexts(content).some((t) => t.includes(EVIL)),
    `${name}: the outside text is shown whole, as plain text`,
  );
  assert.ok(!('msteams' in content), `${name}: no mention entities, so no <at> becomes a mention`);
}

function listOf(list: 'approvals' | 'requests', outcome: boolean): ListSnapshot<WorkItem> {
  const item: WorkItem = {
    kind: 'role',
    requestId: ID,
    requester: EVIL,
    what: EVIL,
    justification: EVIL,
    duration: 'PT8H',
    createdAt: '2026-03-04T10:00:00Z',
    expiresAt: '2026-03-05T10:00:00Z',
  };
  return {
    list,
    userId: 'u',
    items: [item],
    offset: 0,
    next: {},
    capped: [],
    problems: [],
    outcomes: outcome ? { [ID]: { text: `Approved by ${EVIL}`, style: 'good' } } : {},
  };
}

describe('cards in Teams: outside text is plain text', () => {
  it('notification and item cards (title, text, facts, notice from the event)', () => {
    const target = { operation: 'decideRoleApproval' as const, ids: { requestId: ID } };
    for (const settled of [false, true]) {
      // The notification event card (app.ts renders every event through itemCard).
      const reply = itemCard(target, {
        title: EVIL,
        text: EVIL,
        facts: [{ title: 'Subject', value: EVIL }],
        notice: EVIL,
        noticeStyle: 'attention',
        settled,
      });
      showsAsText(`item (settled ${String(settled)})`, reply.attachment);
      // A press's answer, with what its card said the item was (the binding's CardAbout).
      const about = { title: EVIL, line: EVIL, facts: [{ title: 'Subject', value: EVIL }] };
      const pressed = itemCard(target, { text: EVIL, notice: EVIL, settled, about });
      showsAsText(`pressed (settled ${String(settled)})`, pressed.attachment);
    }
  });

  it('list cards (requester, role name, justification from Graph; a row outcome)', () => {
    showsAsText('approvals', listCard(listOf('approvals', false), now).attachment);
    showsAsText('requests', listCard(listOf('requests', false), now).attachment);
    showsAsText('approvals, acted on', listCard(listOf('approvals', true), now).attachment);
  });

  it('result and error cards (the actor name, who decided first)', () => {
    const target = { operation: 'cancelRoleRequest' as const, ids: { requestId: ID } };
    const ok = cards.outcome(
      { ok: true, target, graph: { status: 204, requestId: 'r' }, correlationId: 'c', confirmedByRead: false },
      EVIL,
    );
    showsAsText('result', ok.attachment);
    const error = new DecidedElsewhereError('x', 'Denied', 'approve', EVIL, null, graph);
    showsAsText('error', cards.outcome({ ok: false, target, error, correlationId: 'c' }, undefined).attachment);
  });

  it('info cards', () => {
    showsAsText('info', cards.info(EVIL, EVIL).attachment);
  });

  it('alert, reminder and digest cards (actor, item names, request titles)', () => {
    showsAsText(
      'action alert',
      actionAlertCard({
        actionId: 'a',
        operation: 'cancelRoleRequest',
        ids: { requestId: ID },
        itemNames: { Role: EVIL },
        actor: { name: EVIL, id: 'x' },
        outcome: 'succeeded',
        at: now,
        via: 'card',
      }).attachment,
    );
    showsAsText(
      'reminder',
      reminderCard(
        {
          approval: {
            kind: 'roleRequest',
            requestId: ID,
            createdAt: now - 21 * 3_600_000,
            title: EVIL,
            facts: [{ title: 'Requested by', value: EVIL }],
          },
          expiresAt: now + 3_600_000,
        },
        now,
      ).attachment,
    );
    const waiting = [{ key: 'k', category: 'roleRequests' as const, title: EVIL, since: now - 3_600_000 }];
    showsAsText('digest', digestCard(['roleRequests'], { date: '2026-03-04', counts: {} }, waiting, now).attachment);
  });

  it('settings and welcome cards (channel and team names)', () => {
    showsAsText('settings', settingsCard(EVIL, { categories: [], digest: false }));
    showsAsText('welcome', welcomeCard(EVIL));
  });
});
