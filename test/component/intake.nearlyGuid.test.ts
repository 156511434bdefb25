// The intake's sender is a program (README, "POST /api/notifications"), so its 400 for an id that
// is nearly a GUID says what to send, not what a person at a keyboard should do: it told the
// program to "type the id again rather than paste it", to "type the hyphens again" or "that part".
// The status and the first sentence ("… must be a GUID.") stay as they were; typed commands and
// buttons keep their words (test/unit/idProblem.test.ts, cardActions.nearlyGuid.test.ts).

import { strict as assert } from 'node:assert';
import { USER, event, intakeEdge, request } from '../fixtures/intakeEdge';

const R = '95c690fb-3eb3-4942-a03f-4524aed6f31e';

describe('notification intake: an id that is nearly a GUID is refused in words for a program', () => {
  const edge = intakeEdge({ check: async () => ({ ok: true, claims: {} }) });
  const post = async (extra: Record<string, unknown>) => {
    const r = await request(`${edge.base}/api/notifications`, 'POST', JSON.stringify(event('nearly-1', extra)));
    const body = JSON.parse(r.text) as { error?: string; problems?: string[] };
    assert.equal(r.status, 400, r.text);
    assert.equal(body.error, 'The event is not valid; nothing was stored.');
    assert.equal(edge.store.records.size, 0);
    const problems = body.problems ?? [];
    for (const p of problems) assert.doesNotMatch(p, /\btype\b|paste/i, p);
    return problems;
  };

  it('an invisible character: send the id without it', async () => {
    assert.deepEqual(await post({ requestId: `95c690fb-3eb3\u200b-4942-a03f-4524aed6f31e` }), [
      'requestId must be a GUID. It holds an invisible character (U+200B) after "95c690fb-3eb3": send the id without it.',
    ]);
  });

  it('a hyphen that only looks like one: send a hyphen-minus in its place', async () => {
    assert.deepEqual(await post({ target: { userId: USER.replace(/-/g, '\u2013') } }), [
      'target.userId must be a GUID. It holds "\u2013" (U+2013) where a GUID has a hyphen "-": ' +
        'send the hyphen "-" (U+002D) in its place.',
    ]);
  });

  it('a character no GUID is made of: send the id with the hex digit meant', async () => {
    const cyrillic = R.replace('a03f', '\u043003f');
    assert.deepEqual(await post({ requestId: cyrillic }), [
      'requestId must be a GUID. It holds "\u0430" (U+0430) after "fb-3eb3-4942-", which is none of the digits ' +
        '0-9 and letters a-f a GUID is made of: send the id with the digit or letter meant in its place.',
    ]);
  });

  it('braces around it are named as before', async () => {
    assert.deepEqual(await post({ requestId: `{${R}}` }), [
      'requestId must be a GUID. Leave out "{" before it and "}" after it.',
    ]);
  });
});
