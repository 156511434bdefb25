// A list card stays in the chat long after it was read: a row's approval window shown as a time
// left ("23 h 59 min") is true only when the card was rendered, and a person scrolling back hours
// later reads time that is gone (README "Channel alerts": a reminder names the moment, "never a time
// left that a later post would overstate"). The row names the moment the approval time ends, its
// minute, never later than the moment; one that had passed when the card was rendered says so.
// PIM: "Delegated approvers have 24 hours to approve requests"
// https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-approval-workflow

import { strict as assert } from 'node:assert';
import { listCard } from '../../src/bot/listCards';
import type { WorkItem } from '../../src/domain/myWork';
import type { ListSnapshot } from '../../src/state/listCards';
import { nodesOf } from './cardsTeams.cardWalk';

const item: WorkItem = {
  kind: 'role',
  requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
  requester: 'Adele Vance',
  what: 'Global Administrator',
  justification: 'Incident',
  duration: 'PT8H',
  createdAt: '2026-03-04T10:00:59Z',
  expiresAt: '2026-03-05T10:00:59Z',
};

function facts(list: 'approvals' | 'requests', now: number, row: WorkItem = item): Record<string, string> {
  const snapshot: ListSnapshot<WorkItem> = {
    list,
    userId: 'u',
    items: [row],
    offset: 0,
    next: {},
    capped: [],
    problems: [],
    outcomes: {},
  };
  const out: Record<string, string> = {};
  for (const n of nodesOf(listCard(snapshot, now).attachment.content)) {
    const runs = n.type === 'RichTextBlock' ? (n.inlines as Array<{ text: string }>) : [];
    if (runs.length === 2 && runs[0]!.text.endsWith(': ')) out[runs[0]!.text.slice(0, -2)] = runs[1]!.text;
  }
  return out;
}

describe('list card: when a row’s approval time ends', () => {
  it('names the moment, its minute, not a time left that goes stale in the chat', () => {
    for (const list of ['approvals', 'requests'] as const) {
      const shown = facts(list, Date.UTC(2026, 2, 4, 10, 1, 0));
      assert.equal(shown['Approval time ends'], '2026-03-05 10:00 UTC', list);
      for (const [title, value] of Object.entries(shown)) {
        assert.doesNotMatch(`${title}: ${value}`, /time left|\d+ h \d+ min|^\d+ min/i, list);
      }
    }
  });

  it('says the moment had passed when the card was rendered after it', () => {
    const shown = facts('approvals', Date.UTC(2026, 2, 5, 11, 0, 0));
    assert.equal(shown['Approval time ends'], '2026-03-05 10:00 UTC (passed)');
  });

  it('shows nothing when the window is unknown', () => {
    const unknown = facts('approvals', Date.UTC(2026, 2, 4, 10, 1, 0), { ...item, expiresAt: null });
    assert.ok(!('Approval time ends' in unknown));
    assert.equal(unknown.Requested, '2026-03-04 10:00 UTC', 'the row is read as a whole');
  });
});
