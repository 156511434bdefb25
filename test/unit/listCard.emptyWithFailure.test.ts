// An empty list card says nothing waits only when every source was read: when a source could not
// be read (Graph refused or did not answer one of the three reads), the card must not claim that
// nothing waits for the user, only that nothing else could be listed, next to the note that says why.

import { strict as assert } from 'node:assert';
import { listCard } from '../../src/bot/listCards';
import type { WorkItem } from '../../src/domain/myWork';
import type { ListSnapshot } from '../../src/state/listCards';

const snapshot = (list: 'approvals' | 'requests', problems: string[]): ListSnapshot<WorkItem> => ({
  list,
  userId: 'u',
  items: [],
  offset: 0,
  next: {},
  capped: [],
  problems,
  outcomes: {},
});
const shown = (s: ListSnapshot<WorkItem>): string => JSON.stringify(listCard(s, Date.now()));

describe('list card: an empty list with a source that failed', () => {
  it('says nothing waits only when every source was read', () => {
    assert.match(shown(snapshot('approvals', [])), /Nothing waits for your decision\./);
    assert.match(shown(snapshot('requests', [])), /You have no requests that can still be cancelled\./);
  });

  it('does not say nothing waits when a source could not be read', () => {
    const problem = 'PIM role approvals could not be listed: not permitted. Ask an administrator.';
    for (const list of ['approvals', 'requests'] as const) {
      const text = shown(snapshot(list, [problem]));
      assert.doesNotMatch(text, /Nothing waits for your decision|You have no requests/);
      assert.match(text, /could not be listed/);
    }
  });
});
