// When a typed command was sent (src/bot/turnUser.ts typedAtOf): the earlier of its arrival and the
// activity's `timestamp`, the moment the channel recorded it
// (https://learn.microsoft.com/en-us/dotnet/api/microsoft.agents.core.models.activity.timestamp?view=m365-agents-sdk;
// the Bot Framework Activity specification, A2040 and A2041: channels include it, clients and bots
// do not, https://github.com/microsoft/botframework-sdk/blob/main/specs/botframework-activity/botframework-activity.md#timestamp).
// A stamp is taken only within a window before the arrival, so a clock set wrong cannot hold the
// typed-twice check of approvals shut for longer.

import { strict as assert } from 'node:assert';
import { Activity } from 'botbuilder';
import { TYPED_STAMP_WINDOW_MS, typedAtOf } from '../../src/bot/turnUser';

const ARRIVED = Date.parse('2026-03-02T09:30:00Z');
const clock = { now: () => ARRIVED };
const at = (timestamp: unknown): number => typedAtOf({ timestamp } as Partial<Activity>, clock);

describe('typedAtOf: when a typed command was sent', () => {
  it('the channel’s stamp when it is earlier than the arrival, within the window', () => {
    assert.equal(at(new Date(ARRIVED - 40_000)), ARRIVED - 40_000, 'a Date (as botbuilder may parse it)');
    assert.equal(at(new Date(ARRIVED - 40_000).toISOString()), ARRIVED - 40_000, 'an ISO string (as JSON carries it)');
    assert.equal(at('2026-03-02T09:19:00.5+00:00'), Date.parse('2026-03-02T09:19:00.500Z'), 'a redelivery 11 min on');
    assert.equal(at(new Date(ARRIVED - TYPED_STAMP_WINDOW_MS)), ARRIVED - TYPED_STAMP_WINDOW_MS, 'the window’s edge');
  });

  it('the arrival when the stamp is later (a clock ahead), too far back (a clock set wrong), or no date', () => {
    assert.equal(at(new Date(ARRIVED + 3_600_000)), ARRIVED, 'an hour ahead');
    assert.equal(at(new Date(ARRIVED - TYPED_STAMP_WINDOW_MS - 1)), ARRIVED, 'just past the window');
    assert.equal(at(new Date(ARRIVED - 2 * 3_600_000)), ARRIVED, 'two hours back');
    for (const none of [undefined, null, '', 'yesterday', new Date(NaN)]) assert.equal(at(none), ARRIVED, String(none));
  });

  it('the window outlives the duplicate mark (10 minutes), so a redelivery after it is still counted from its stamp', () => {
    assert.ok(TYPED_STAMP_WINDOW_MS > 10 * 60_000);
  });
});
