// The order of "my approvals" and "my requests": newest first, and the same rows on a page however
// Graph's sources happened to answer.

import { strict as assert } from 'node:assert';
import { WorkItem, newestFirst } from '../../src/domain/myWork';

const item = (requestId: string, createdAt: string | null): WorkItem => ({
  kind: 'role',
  requestId,
  requester: null,
  what: null,
  justification: null,
  duration: null,
  createdAt,
  expiresAt: null,
});

describe('my work order', () => {
  it('puts the newest first and items without a date last', () => {
    const items = [item('a', '2026-11-28T10:00:00Z'), item('b', null), item('c', '2026-11-28T11:00:00Z')];
    assert.deepEqual(
      newestFirst(items).map((i) => i.requestId),
      ['c', 'a', 'b'],
    );
  });

  it('orders requests made at the same instant by id, whatever order they arrived in', () => {
    const at = '2026-11-28T10:00:00.000Z';
    const ids = ['f4b5', '7999', '95c6', '0aaa'];
    const forward = newestFirst(ids.map((id) => item(id, at))).map((i) => i.requestId);
    const backward = newestFirst([...ids].reverse().map((id) => item(id, at))).map((i) => i.requestId);
    assert.deepEqual(forward, ['0aaa', '7999', '95c6', 'f4b5']);
    assert.deepEqual(backward, forward);
  });
});
