// A refused change of a channel's alert settings writes its one line, `alerts.subscription.refused`
// (README "Channel alerts"), as an accepted change writes `alerts.subscription`: with who asked,
// how (`via`: a typed command or the settings card's Save), what a typed command asked for, and a
// fresh `correlationId` of its own, so each refusal can be told apart and found.

import { strict as assert } from 'node:assert';
import { AlertsRig, CH_A } from './alertsRig';
import { channelAlertsSession } from './channelAlertsSession';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('a refused alert settings change is audited', () => {
  const session = channelAlertsSession();
  const { member, auditLines, install } = session;
  let a: AlertsRig;
  beforeEach(() => {
    ({ a } = session);
  });

  it('by command and by the Save: one line each, with via, what was asked and a fresh correlationId', async () => {
    await install();
    await a.say(member(), CH_A, 'alerts on role-requests');
    await a.rig.turn(
      a.inChannel(member(), CH_A, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'alerts.save', data: { roleRequests: 'true' } } },
      }),
    );
    const lines = auditLines('alerts.subscription.refused');
    assert.equal(lines.length, 2);
    const [typed, saved] = lines;
    assert.equal(typed?.userId, member().aadObjectId);
    assert.equal(typed?.via, 'command');
    assert.equal(typed?.category, 'roleRequests');
    assert.equal(typed?.on, true);
    assert.equal(saved?.via, 'card');
    for (const l of lines) {
      assert.match(String(l.correlationId), GUID);
      // No admin group is configured (the rig's authority): no group membership was asked, so the
      // line says nothing of a group check (its `via` and `category` never take its place).
      assert.equal('groupCheck' in l, false, JSON.stringify(l));
    }
    assert.notEqual(typed?.correlationId, saved?.correlationId);
  });
});
