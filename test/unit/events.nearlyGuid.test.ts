// An intake event whose id is nearly a GUID (README, "POST /api/notifications": "Ids are GUIDs")
// is still refused (400), and the problem now says what is wrong with it, as a typed command's
// does (idProblem.ts): an invisible character copied with it (by its code, and where), a hyphen
// that only looks like one, braces or quotes around it. The intake said only "must be a GUID.",
// and the value, quoted in the sender's logs, looked like one. A value with nothing of the kind
// to name is told as before. Its sender is a program: the words say what to send, not what to type.

import { strict as assert } from 'node:assert';
import { parseEvent } from '../../src/notifications/events';

const R = '95c690fb-3eb3-4942-a03f-4524aed6f31e';
const U = 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1';

const roleRequest = (fields: Record<string, unknown>) => ({
  eventId: 'e1',
  kind: 'roleRequest',
  target: { userId: U },
  requestId: R,
  ...fields,
});

const problemsOf = (body: unknown): string[] => {
  const parsed = parseEvent(body);
  assert.equal(parsed.ok, false, JSON.stringify(body));
  return parsed.ok ? [] : parsed.problems;
};

describe('intake events: an id that is nearly a GUID', () => {
  it('names an invisible character inside a top-level id by its code, and where', () => {
    const [p] = problemsOf(roleRequest({ requestId: `95c690fb-3eb3\u200b-4942-a03f-4524aed6f31e` }));
    assert.equal(
      p,
      'requestId must be a GUID. It holds an invisible character (U+200B) after "95c690fb-3eb3": ' +
        'send the id without it.',
    );
  });

  it('names a hyphen that only looks like one in a nested id (target.userId)', () => {
    const [p] = problemsOf(roleRequest({ target: { userId: U.replace(/-/g, '\u2013') } }));
    assert.match(p!, /^target\.userId must be a GUID\. It holds "\u2013" \(U\+2013\) where a GUID has a hyphen/);
  });

  it('names the braces of the registry form around an optional id (principalId)', () => {
    const [p] = problemsOf(roleRequest({ kind: 'roleApproval', principalId: `{${U}}` }));
    assert.equal(p, 'principalId must be a GUID. Leave out "{" before it and "}" after it.');
  });

  it("names an invisible character in an id of a task callout's callback path", () => {
    const W = '14879e66-9ea9-48d0-804d-8fea672d0341';
    const T = 'e07dcdb2-0a77-4ee3-8645-3801fbe1cf9f';
    const path = `/identityGovernance/lifecycleWorkflows/workflows/${W}/tasks/\u2060${T}/taskProcessingResults/${R}/resume`;
    const problems = problemsOf({
      eventId: 'lcw-1',
      kind: 'taskCallout',
      target: { userId: U },
      callout: { data: { callbackUriPath: path } },
    });
    assert.ok(
      problems.includes(
        'the task id in callout.data.callbackUriPath must be a GUID. It holds an invisible character (U+2060) ' +
          'at its start: send the id without it.',
      ),
      problems.join(' | '),
    );
  });

  it('tells a value with nothing of the kind to name as before', () => {
    assert.deepEqual(problemsOf(roleRequest({ requestId: 'megan' })), ['requestId must be a GUID.']);
    assert.deepEqual(problemsOf(roleRequest({ requestId: 42 })), ['requestId must be a GUID.']);
    assert.deepEqual(problemsOf(roleRequest({ requestId: undefined })), ['requestId must be a GUID.']);
  });
});
