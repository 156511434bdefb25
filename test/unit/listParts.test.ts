// The parts of a list kept with its card (listParts.ts): a list card saved before they were kept
// still renders, saying only that nothing could be listed; a part whose next page More could not
// read is no longer said to be read and empty.

import { strict as assert } from 'node:assert';
import { listCard } from '../../src/bot/listCards';
import { emptyHeader, partsAfter, partsOf } from '../../src/bot/listParts';
import { UpstreamError } from '../../src/domain/errors';
import type { WorkItem } from '../../src/domain/myWork';
import type { ListSnapshot } from '../../src/state/listCards';

const problem = 'PIM role approvals could not be listed: not permitted. Ask an administrator.';

describe('list parts: what was read and what could not be', () => {
  it('a list card saved without its parts still renders', () => {
    const old: ListSnapshot<WorkItem> = {
      list: 'approvals',
      userId: 'u',
      items: [],
      offset: 0,
      next: {},
      capped: [],
      problems: [problem],
      outcomes: {},
    };
    const shown = JSON.stringify(listCard(old, Date.now()));
    assert.match(shown, /Nothing could be listed from what Microsoft Graph answered; see below\./);
    assert.match(shown, /PIM role approvals could not be listed: not permitted/);
  });

  it('a part whose next page failed joins those that could not be listed', () => {
    const failed = (kind: 'role' | 'group' | 'access') => ({ kind, error: new UpstreamError('x') });
    const first = partsOf({ failed: [failed('role')] });
    assert.deepEqual(first, { read: ['group', 'access'], failed: ['role'] });
    const after = partsAfter(first, { failed: [failed('access')] });
    assert.deepEqual(after, { read: ['group'], failed: ['role', 'access'] });
    assert.equal(
      emptyHeader('requests', [problem], after),
      'You have no PIM for Groups requests that can still be cancelled. PIM role and access package requests could not be listed; see below.',
    );
    assert.equal(partsAfter(undefined, { failed: [failed('access')] }), undefined, 'unknown stays unknown');
  });
});
