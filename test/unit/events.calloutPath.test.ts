// A taskCallout's callback path, wherever the sender put it: Lifecycle Workflows sends it in the
// callout's data (a Logic App reads triggerBody()?['data']?['callbackUriPath']:
// https://learn.microsoft.com/entra/id-governance/configure-logic-app-lifecycle-workflows), and
// the intake takes callout.callbackUriPath too. A refusal names the field the sender sent, or
// both forms when neither is there, so the sender fixes the field they wrote.

import { strict as assert } from 'node:assert';
import { parseEvent } from '../../src/notifications/events';

const W = '14879e66-9ea9-48d0-804d-8fea672d0341';
const T = 'e07dcdb2-0a77-4ee3-8645-3801fbe1cf9f';
const R = '6e1ec336-8d06-4386-a377-79dbab1a2eb6';
const PATH = `/identityGovernance/lifecycleWorkflows/workflows/${W}/tasks/${T}/taskProcessingResults/${R}/microsoft.graph.identityGovernance.resume`;

function callout(where: 'data' | 'callout' | 'none', path: unknown, data: Record<string, unknown> = {}) {
  return {
    eventId: 'lcw-1',
    kind: 'taskCallout',
    target: { userId: 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1' },
    callout: {
      source: 'Lifecycle Workflows',
      type: 'lifecycleEvent',
      ...(where === 'callout' ? { callbackUriPath: path } : {}),
      data: { ...(where === 'data' ? { callbackUriPath: path } : {}), ...data },
    },
  };
}

const problems = (body: unknown): string => {
  const r = parseEvent(body);
  assert.ok(!r.ok, 'refused');
  return r.problems.join(' | ');
};

describe('intake events: the callback path of a task callout', () => {
  it('takes the path from callout.data.callbackUriPath or from callout.callbackUriPath', () => {
    for (const where of ['data', 'callout'] as const) {
      const r = parseEvent(callout(where, PATH));
      assert.ok(r.ok, JSON.stringify(r));
      assert.deepEqual(r.event.item.ids, { workflowId: W, taskId: T, taskProcessingResultId: R });
    }
  });

  it('names callout.callbackUriPath when that is the one sent and it is wrong', () => {
    for (const wrong of ['/users/me', 42, '']) {
      const text = problems(callout('callout', wrong));
      assert.match(text, /^callout\.callbackUriPath must be …\/workflows\/\{id\}/, String(wrong));
      assert.doesNotMatch(text, /callout\.data\.callbackUriPath/, String(wrong));
    }
    const badId = problems(callout('callout', PATH.replace(T, 'not-a-guid')));
    assert.match(badId, /the task id in callout\.callbackUriPath must be a GUID/);
    const mismatch = problems(callout('callout', PATH, { workflow: { id: R } }));
    assert.match(mismatch, /callout\.data\.workflow\.id does not match callout\.callbackUriPath/);
  });

  it('names callout.data.callbackUriPath when that is the one sent and it is wrong', () => {
    const text = problems(callout('data', '/users/me'));
    assert.match(text, /^callout\.data\.callbackUriPath must be/);
    assert.match(
      problems(callout('data', PATH.replace(W, 'nope'))),
      /the workflow id in callout\.data\.callbackUriPath/,
    );
  });

  it('names both forms when neither is sent', () => {
    for (const where of ['none', 'data', 'callout'] as const) {
      const text = problems(callout(where, where === 'none' ? undefined : null));
      assert.match(text, /^callout\.data\.callbackUriPath \(or callout\.callbackUriPath\) must be/, where);
    }
  });
});
