// A press made before its approval's moment whose write Microsoft Graph answers with 401 only after
// the moment: the presser gets the ended card (cardEnded.ts), which has no button, so it must not
// tell them to press the button again or to sign in. Graph answers 401 when "the token is missing,
// invalid, or expired" (https://learn.microsoft.com/graph/errors#http-status-codes): the decision was
// not taken. Past the moment a stage still pending is denied automatically
// (https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage), so no press could
// take it either. The card a click answers with shows no Sign in button (Universal Actions'
// loginRequest comes only with a new press:
// https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/universal-actions-for-adaptive-cards/sso-adaptive-cards-universal-actions).

import { strict as assert } from 'node:assert';
import { pressedData } from '../fixtures/pressedData';
import { Clock, systemClock } from '../../src/domain/clock';
import { FINANCE_REPORTS, approveOf, twoStageCard } from './twoStageCard';

const unauthorized = () =>
  new Response(
    JSON.stringify({ error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired.' } }),
    { status: 401, headers: { 'content-type': 'application/json' } },
  );

describe('card press: the ended card after a write answered 401', () => {
  const approve = approveOf('decideAccessPackageApproval', FINANCE_REPORTS);
  // The bot's clock stands still unless the test moves it: the press is read before the moment
  // however long the machine takes, and the write's answer comes after it.
  let at = Date.now();
  const clock: Clock = { now: () => at, sleep: systemClock.sleep };
  const card = twoStageCard(approve, { clock });

  it('says the decision was not taken, and asks for no sign-in and no press', async () => {
    const r = card.rig();
    const megan = r.user(0);
    at = Date.now();
    const endsAt = at + 300;
    const writtenAt: number[] = [];
    r.hold = (req) => {
      if (req.method === 'GET') return null;
      writtenAt.push(at);
      at = Math.max(at, endsAt + 500); // Graph answers the write after the moment
      return Promise.resolve(unauthorized());
    };
    const text = JSON.stringify(await card.press(megan, { ...pressedData(approve), endsAt }));
    assert.match(text, /approval time has ended/);
    assert.doesNotMatch(text, /Action\.Execute/, 'no buttons after the moment');
    assert.doesNotMatch(text, /[Ss]ign in|[Ss]ign-in needed|[Pp]ress the button/, text.slice(0, 1200));
    assert.match(text, /did not accept your sign-in/);
    assert.ok(writtenAt.length > 0 && writtenAt[0]! < endsAt, `the write was sent before the moment: ${writtenAt}`);
  });
});
