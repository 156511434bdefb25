// Teams delivers a message again when it did not see it answered in time; the bot runs a message
// once by its activity id (turnDedup.ts), but that mark can be lost: its write failed (the bot then
// runs the turn rather than drop a command), or its 10 minutes passed. A redelivered `approve` from
// an approver of two consecutive stages of an access package request must then not decide the
// second stage, which the first delivery opened ("Only one of the selected approvers from each
// stage needs to approve a request for multi-stage approval for the request to progress to the
// next stage",
// https://learn.microsoft.com/en-us/entra/id-governance/entitlement-management-access-package-approval-policy).
// The redelivery is the same activity: its `timestamp` is when the channel recorded it ("Date and
// time that the message was sent in the UTC time zone",
// https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#activity-object;
// "the important time is when the channel (the authoritative store) records the activity",
// https://learn.microsoft.com/en-us/dotnet/api/microsoft.agents.core.models.activity.timestamp?view=m365-agents-sdk),
// not when it reached the bot again.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { Clock, systemClock } from '../../src/domain/clock';
import { SimulatedTenant } from '../../src/sandbox/tenant';
import { TurnDedup } from '../../src/state/turnDedup';
import { seedWithTwoStagesOfMegan } from '../fixtures/twoStagesOfMegan';
import { Rig } from './botRig';

const text = (x: unknown): string => JSON.stringify(x);
const ID = '7999249e-249e-7999-9e24-99799e2499b5';

describe('a typed approve redelivered after its duplicate mark was lost', () => {
  let dir: string;
  let r: Rig | undefined;
  beforeEach(() => (dir = Rig.dir()));
  afterEach(async () => {
    await r?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A rig whose bot, state and tenant run on a clock the test moves; `lostMarks`: the state
   * store fails every duplicate mark's write. */
  function onMovedClock(lostMarks: boolean) {
    let at = Date.now();
    const clock: Clock = { now: () => at, sleep: systemClock.sleep };
    const tenant = new SimulatedTenant(seedWithTwoStagesOfMegan(ID), { now: clock.now });
    const busy = () => Promise.reject(new Error('SQLITE_BUSY'));
    const failing = { firstTime: busy, begin: busy } as unknown as TurnDedup;
    const rig = new Rig(dir, {
      silent: true,
      tenant,
      clock,
      extend: () => ({ deps: { clock, ...(lostMarks ? { turns: failing } : {}) } }),
    });
    return { rig, pass: (ms: number) => (at += ms), now: () => at };
  }

  const cases = [
    { why: 'the store failed the mark', lostMarks: true, after: 40_000 },
    { why: 'the mark’s 10 minutes passed', lostMarks: false, after: 11 * 60_000 },
  ];
  for (const c of cases)
    it(`${c.why}: the redelivery decides nothing for the second stage`, async () => {
      const { rig, pass, now } = onMovedClock(c.lostMarks);
      r = rig;
      const megan = rig.user(0);
      const delivered = { id: 'act-typed-once', timestamp: new Date(now()) };
      const first = await rig.message(megan, `approve access-request ${ID}`, delivered);
      assert.match(text(first.sent), /Approved/);
      pass(c.after);
      const again = await rig.message(megan, `approve access-request ${ID}`, delivered);
      const patches = rig.tenant.graphRequests().filter((q) => q.method === 'PATCH');
      assert.equal(patches.length, 1, `stage 2 is not decided: ${text(again.sent).slice(0, 600)}`);
      assert.match(text(again.sent), /Not applied to your next stage/);
      assert.deepEqual(
        rig.tenant.getApproval(ID)?.stages.map((s) => s.status),
        ['Completed', 'InProgress'],
      );
      // A command sent after that answer (a new activity, stamped when sent) decides the second stage.
      pass(60_000);
      const sent = await rig.message(megan, `approve access-request ${ID}`, { timestamp: new Date(now() - 1_000) });
      assert.match(text(sent.sent), /Approved/);
      assert.deepEqual(
        rig.tenant.getApproval(ID)?.stages.map((s) => s.status),
        ['Completed', 'Completed'],
      );
    });
});
