// An event whose JSON gives one name twice in an object is refused (400), naming the field: RFC 8259
// §4 says names "SHOULD be unique" and that with duplicates "the behavior of software that receives
// such an object is unpredictable" (some readers take the first, JSON.parse the last), so a body a
// gateway or a log reads one way would be delivered another: to another recipient, say, for a
// sender's template that repeats `target`. https://www.rfc-editor.org/rfc/rfc8259#section-4

import { strict as assert } from 'node:assert';
import { USER, event, intakeEdge, request } from '../fixtures/intakeEdge';

describe('notification intake: a name given twice in one object', () => {
  const edge = intakeEdge({ check: async () => ({ ok: true, claims: {} }) });
  const post = async (text: string) => {
    const r = await request(`${edge.base}/api/notifications`, 'POST', text);
    return { status: r.status, problems: (JSON.parse(r.text) as { problems?: string[] }).problems ?? [] };
  };
  const OTHER = 'b0b0b0b0-2222-4aaa-8bbb-0000000000b0';

  it('refuses a top-level field given twice, and stores nothing', async () => {
    const text = JSON.stringify(event('dup-1')).replace('"eventId":"dup-1"', '"eventId":"dup-1","eventId":"dup-2"');
    const r = await post(text);
    assert.equal(r.status, 400);
    assert.deepEqual(r.problems, [
      'eventId is given twice in one object; JSON readers differ on which one counts: give it once.',
    ]);
    assert.equal(edge.store.records.size, 0);
  });

  it('refuses a target named twice, and a name inside it given twice, however it is escaped', async () => {
    const twoTargets = `{"eventId":"dup-3","kind":"roleRequest","target":{"userId":"${USER}"},"target":{"userId":"${OTHER}"},"requestId":"95c690fb-3eb3-4942-a03f-4524aed6f31e"}`;
    assert.match((await post(twoTargets)).problems.join(' | '), /^target is given twice/);
    const twoUsers = `{"eventId":"dup-4","kind":"roleRequest","target":{"userId":"${USER}","\\u0075serId":"${OTHER}"},"requestId":"95c690fb-3eb3-4942-a03f-4524aed6f31e"}`;
    const r = await post(twoUsers);
    assert.equal(r.status, 400);
    assert.match(r.problems.join(' | '), /^target\.userId is given twice/);
    assert.equal(edge.store.records.size, 0);
  });

  it('takes the same name in different objects, and in strings, as before', async () => {
    const w = '14879e66-9ea9-48d0-804d-8fea672d0341';
    const t = 'e07dcdb2-0a77-4ee3-8645-3801fbe1cf9f';
    const p = '6e1ec336-8d06-4386-a377-79dbab1a2eb6';
    const callout = {
      eventId: 'dup-5',
      kind: 'taskCallout',
      target: { userId: USER },
      details: 'A "target" and "eventId", \\"quoted\\", {"eventId":1}',
      callout: {
        data: {
          subject: { displayName: 'Adele Vance' },
          task: { id: t, displayName: 'Order a laptop' },
          taskProcessingResult: { id: p },
          workflow: { id: w, displayName: 'Onboard new hires' },
          callbackUriPath: `/identityGovernance/lifecycleWorkflows/workflows/${w}/tasks/${t}/taskProcessingResults/${p}/microsoft.graph.identityGovernance.resume`,
        },
      },
    };
    const r = await post(JSON.stringify(callout));
    assert.equal(r.status, 202, r.problems.join(' | '));
  });
});
