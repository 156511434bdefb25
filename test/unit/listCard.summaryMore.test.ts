// The summary of a list card is the line Teams shows in the activity feed and notifications
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/format-your-bot-messages).
// When Graph has more pages to give ("A page of results may contain zero or more results",
// https://learn.microsoft.com/graph/paging), the card counts "1-3 of 3+": its summary must not say
// that exactly 3 wait.

import { strict as assert } from 'node:assert';
import { listCard } from '../../src/bot/listCards';
import type { WorkItem } from '../../src/domain/myWork';
import type { ListSnapshot } from '../../src/state/listCards';
import { item } from '../fixtures/accessRows';

function listOf(count: number, next: Record<string, string>): ListSnapshot<WorkItem> {
  return {
    readAt: 0,
    list: 'approvals',
    userId: 'megan',
    items: Array.from({ length: count }, (_, i) => item(i)),
    offset: 0,
    next,
    capped: [],
    problems: [],
    parts: { read: ['role', 'group', 'access'], failed: [] },
    outcomes: {},
  };
}

const NEXT = { access: 'https://graph.microsoft.com/v1.0/next?$skiptoken=a' };

describe('a list card’s summary when Graph has more to list', () => {
  it('counts the rows read so far as the card does ("3+"), not as all there are', () => {
    const card = listCard(listOf(3, NEXT), Date.UTC(2026, 0, 1));
    assert.match(JSON.stringify(card.attachment), /1-3 of 3\+/);
    assert.equal(card.summary, 'Waiting for your approval: 3+ items');
  });

  it('one row read so far, with more to read', () => {
    assert.equal(listCard(listOf(1, NEXT), Date.UTC(2026, 0, 1)).summary, 'Waiting for your approval: 1+ items');
  });

  it('a list read whole keeps its exact count', () => {
    assert.equal(listCard(listOf(3, {}), Date.UTC(2026, 0, 1)).summary, 'Waiting for your approval: 3 items');
    assert.equal(listCard(listOf(1, {}), Date.UTC(2026, 0, 1)).summary, 'Waiting for your approval: 1 item');
  });

  it('none read yet, more to read: "none so far"', () => {
    assert.equal(listCard(listOf(0, NEXT), Date.UTC(2026, 0, 1)).summary, 'Waiting for your approval: none so far');
  });
});
