// A press made before its approval's moment whose Graph read is refused with 401 only after the
// moment: the presser gets the ended card (cardEnded.ts), and the token Graph refused is forgotten
// all the same, as for any answer that says Graph no longer accepts it, so the next press or command
// signs in afresh rather than meeting the same 401. Graph answers 401 when "the token is missing,
// invalid, or expired" (https://learn.microsoft.com/graph/errors#http-status-codes), and a stage
// still pending at the moment is denied automatically
// (https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage).

import { strict as assert } from 'node:assert';
import { pressedData } from '../fixtures/pressedData';
import { FINANCE_REPORTS, approveOf, twoStageCard } from './twoStageCard';

const unauthorized = () =>
  new Response(
    JSON.stringify({ error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired.' } }),
    {
      status: 401,
      headers: { 'content-type': 'application/json' },
    },
  );

describe('card press: a 401 answered after the approval moment', () => {
  const approve = approveOf('decideAccessPackageApproval', FINANCE_REPORTS);
  const card = twoStageCard(approve);

  for (const [name, aheadMs, endedCard] of [
    ['the moment far ahead: the buttons stay', 3_600_000, false],
    ['the moment passes while the read waits: the ended card', 300, true],
  ] as const) {
    it(`forgets the token Graph refused (${name})`, async () => {
      const r = card.rig();
      const megan = r.user(0);
      const endsAt = Date.now() + aheadMs;
      let reads = 0;
      // The request's read is answered 401, the first one only after the moment has passed.
      r.hold = (req) => {
        if (!req.url.includes(FINANCE_REPORTS)) return null;
        const wait = reads++ === 0 ? 800 : 0;
        return new Promise((res) => setTimeout(() => res(unauthorized()), wait));
      };
      const answer = await card.press(megan, { ...pressedData(approve), endsAt });
      const text = JSON.stringify(answer);
      assert.ok(reads > 0, 'the press read the request');
      assert.equal(/approval time has ended/.test(text), endedCard, text.slice(0, 400));
      assert.equal(card.stagePatches().length, 0, 'no decision sent');
      assert.equal(r.signInFlow.cachedToken(megan.aadObjectId), null, 'the refused token is forgotten');
    });
  }

  it('forgets the token Graph refused on the write answered after the moment (the ended card)', async () => {
    const r = card.rig();
    const megan = r.user(0);
    const endsAt = Date.now() + 300;
    let writes = 0;
    // The read is answered at once, before the moment; the decision's write 401, after it.
    r.hold = (req) => {
      if (req.method === 'GET') return null;
      writes++;
      return new Promise((res) => setTimeout(() => res(unauthorized()), 800));
    };
    const answer = await card.press(megan, { ...pressedData(approve), endsAt });
    const text = JSON.stringify(answer);
    assert.ok(writes > 0, 'the decision was written before the moment');
    assert.match(text, /approval time has ended/);
    assert.doesNotMatch(text, /Action\.Execute/, 'no buttons after the moment');
    assert.equal(r.signInFlow.cachedToken(megan.aadObjectId), null, 'the refused token is forgotten');
  });
});
