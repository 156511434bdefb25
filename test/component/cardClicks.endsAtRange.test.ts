// Through the handler: an Approve press whose moment (endsAt) is a safe integer no Date holds
// (ECMAScript time values reach ±8.64e15 ms,
// https://tc39.es/ecma262/multipage/numbers-and-dates.html#sec-time-values-and-time-range) is refused
// as a button that does not parse: a 400 with words, nothing read or sent, no audit line (contract
// §6: "input that does not parse writes none"). It used to be taken as ended and throw RangeError
// stamping the moment: no card, no audit line.

import { strict as assert } from 'node:assert';
import { NO_MOMENT } from '../../src/bot/cardActions';
import { pressedData } from '../fixtures/pressedData';
import { FINANCE_REPORTS, approveOf, twoStageCard } from './twoStageCard';

describe('card press: an approval moment no Date holds', () => {
  const approve = approveOf('decideAccessPackageApproval', FINANCE_REPORTS);
  const card = twoStageCard(approve);

  for (const endsAt of [-9e15, 9e15]) {
    it(`is refused with words, not thrown (endsAt ${endsAt})`, async () => {
      const r = card.rig();
      const before = r.logs.length;
      const sent = r.tenant.graphRequests().length;
      const answer = (await card.press(r.user(0), { ...pressedData(approve), endsAt })) as
        { statusCode?: number; value?: unknown } | undefined;
      assert.equal(answer?.statusCode, 400, JSON.stringify(answer)?.slice(0, 300));
      assert.ok(JSON.stringify(answer?.value).includes(NO_MOMENT), 'the refusal says what is wrong');
      assert.equal(r.tenant.graphRequests().length, sent, 'nothing read or sent');
      assert.equal(r.logs.slice(before).filter((l) => l.event === 'governance.action').length, 0);
    });
  }
});
