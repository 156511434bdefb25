// The same eventId sent again is a duplicate: answered 202 and stored once (README, "POST
// /api/notifications"). When the body sent again names another event (another kind, target or item),
// that event is not stored nor sent: the answer's `notices` tell the sender so, instead of the bare
// "duplicate" a retry of the same event gets.

import { strict as assert } from 'node:assert';
import { USER, event, intakeEdge, request } from '../fixtures/intakeEdge';

const OTHER_REQUEST = '7999249e-249e-7999-9e24-99799e249979';
const OTHER_USER = 'b2c3d4e5-2222-4bbb-8ccc-0000000000b2';

describe('notification intake HTTP edge (in process): a duplicate naming another event', () => {
  const edge = intakeEdge();

  type Accepted = { accepted: string; notices?: string[] };
  const post = async (body: Record<string, unknown>) => {
    const r = await request(`${edge.base}/api/notifications`, 'POST', JSON.stringify(body));
    assert.equal(r.status, 202, r.text);
    return JSON.parse(r.text) as Accepted;
  };

  it('says which of kind, target and the ids differ, and that the event was not stored', async () => {
    assert.equal((await post(event('reused'))).accepted, 'new');
    const other = await post(event('reused', { requestId: OTHER_REQUEST }));
    assert.equal(other.accepted, 'duplicate');
    assert.deepEqual(other.notices, [
      'eventId reused was first accepted for another event (it differs in requestId): this one was not stored ' +
        'and will not be sent; give each event its own eventId.',
    ]);
    const approval = await post(event('reused', { kind: 'roleApproval', target: { userId: OTHER_USER } }));
    assert.match(approval.notices?.[0] ?? '', /another event \(it differs in kind, target\)/);
    assert.deepEqual(edge.kicked, ['reused'], 'nothing sent again');
    assert.equal(edge.store.records.size, 1, 'nothing stored again');
  });

  it('has no such notice for a retry of the same event, its GUIDs cased otherwise or not', async () => {
    assert.equal((await post(event('retried'))).accepted, 'new');
    const retry = await post(event('retried', { target: { userId: USER.toUpperCase() }, title: 'Another title' }));
    assert.equal(retry.accepted, 'duplicate');
    assert.equal('notices' in retry, false, JSON.stringify(retry));
  });
});
