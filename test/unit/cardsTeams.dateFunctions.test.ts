// Text from outside the bot (a justification or a name from Graph, a notification event's text, a
// user's display name) must show on a card as it was written. The Adaptive Cards renderers replace
// {{DATE(…)}} and {{TIME(…)}} in a card's text by the date and time in the reader's own locale and
// time zone, in a TextRun as in a TextBlock (the library's TextRun.internalRender calls formatText):
// a justification written "{{DATE(2026-12-31T00:00:00Z, SHORT)}}" would show as a date the
// requester never typed. The functions are case-sensitive and take no space between the braces.
// https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/text-features
// (the bot's own reminder card uses them, in a TextBlock, on purpose: that one still localises.)

import { strict as assert } from 'node:assert';
import { actionAlertCard } from '../../src/alerts/actionFeed';
import { reminderCard } from '../../src/alerts/reminders';
import { listCard } from '../../src/bot/listCards';
import { createReplyCards, itemCard } from '../../src/bot/replyCards';
import type { WorkItem } from '../../src/domain/myWork';
import { libraryProblems, nodesOf, renderedRunTexts } from './cardsTeams.cardWalk';

const ID = '95c690fb-3eb3-4942-a03f-4524aed6f31e';
const DATED =
  'Until {{DATE(2026-12-31T00:00:00Z, SHORT)}} at {{TIME(2026-12-31T09:00:00Z)}}, {{DATE(2026-12-31T00:00:00Z)}}';
const INVISIBLE = /[\u200b\u2060]/g;
const now = Date.UTC(2026, 2, 4, 20, 0, 0);

/** Every TextRun is shown as written, and the outside text is on the card, whole. */
function showsAsWritten(name: string, attachment: { content?: unknown }): void {
  const content = attachment.content ?? {};
  assert.deepEqual(libraryProblems(content), [], `${name}: the Adaptive Cards library accepts it`);
  const runs = renderedRunTexts(content);
  const rewritten = runs.filter((r) => r.shown !== r.text);
  assert.deepEqual(rewritten, [], `${name}: no TextRun is rewritten by the renderer's date functions`);
  assert.ok(
    runs.some((r) => r.shown.replace(INVISIBLE, '').includes(DATED)),
    `${name}: the outside text is shown whole`,
  );
}

describe('cards in Teams: outside text is not taken for DATE() or TIME()', () => {
  it('a notification event card and a press on it', () => {
    const target = { operation: 'decideRoleApproval' as const, ids: { requestId: ID } };
    const reply = itemCard(target, {
      title: DATED,
      text: DATED,
      facts: [{ title: 'Justification', value: DATED }],
      notice: '',
      noticeStyle: 'attention',
      settled: false,
    });
    showsAsWritten('item', reply.attachment);
  });

  it('a list card (requester, role name and justification from Graph)', () => {
    const item: WorkItem = {
      kind: 'role',
      requestId: ID,
      requester: DATED,
      what: DATED,
      justification: DATED,
      duration: 'PT8H',
      createdAt: '2026-03-04T10:00:00Z',
      expiresAt: '2026-03-05T10:00:00Z',
    };
    const snapshot = {
      list: 'approvals' as const,
      userId: 'u',
      items: [item],
      offset: 0,
      next: {},
      capped: [],
      problems: [],
      outcomes: {},
    };
    showsAsWritten('approvals', listCard(snapshot, now).attachment);
  });

  it('a result card (the actor name Teams gave) and an info card', () => {
    const cards = createReplyCards({ cloud: 'global', examples: null });
    const target = { operation: 'cancelRoleRequest' as const, ids: { requestId: ID } };
    const ok = { ok: true as const, target, graph: { status: 204, requestId: 'r' }, correlationId: 'c' };
    showsAsWritten('result', cards.outcome({ ...ok, confirmedByRead: false }, DATED).attachment);
    showsAsWritten('info', cards.info(DATED, DATED).attachment);
  });

  it('an action alert; the reminder card still localises its own expiry', () => {
    const alert = actionAlertCard({
      actionId: 'a',
      operation: 'cancelRoleRequest',
      ids: { requestId: ID },
      itemNames: { Role: DATED },
      actor: { name: DATED, id: 'x' },
      outcome: 'succeeded',
      at: now,
      via: 'card',
    });
    showsAsWritten('action alert', alert.attachment);
    const approval = { kind: 'roleRequest' as const, requestId: ID, createdAt: now - 21 * 3_600_000 };
    const reminder = reminderCard(
      { approval: { ...approval, title: DATED, facts: [] }, expiresAt: now + 3_600_000 },
      now,
    );
    showsAsWritten('reminder', reminder.attachment);
    const own = nodesOf(reminder.attachment.content).filter((n) => n.type === 'TextBlock');
    assert.ok(
      own.some((n) => String(n.text).includes('{{DATE(')),
      'the reminder card still has the date function it writes itself',
    );
  });
});
