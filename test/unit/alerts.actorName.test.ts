// The "actions taken" alert names who acted as Teams gave their name (activity.from.name, the
// directory's displayName): free text that may hold a bidirectional override, which would make
// every member of the channel read the alert otherwise than it is ("Trojan Source",
// CVE-2021-42574), or a control character. It is shown as the other names from the directory are
// (domain/shownNames.ts): without such characters, and as "Someone" when nothing is left.
// (ChannelAccount.name, "Display friendly name":
// https://learn.microsoft.com/en-us/javascript/api/botframework-schema/channelaccount).

import { strict as assert } from 'node:assert';
import type { AuditLine } from '../../src/domain/governance';
import { actionAlertOf } from './alerts.actionAlertOf';

function line(userName: string): AuditLine {
  return {
    event: 'governance.action',
    operation: 'decideAccessPackageApproval',
    targetId: '7999249e-249e-7999-9e24-99799e249984',
    targetIds: ['7999249e-249e-7999-9e24-99799e249984'],
    userId: 'aad-megan',
    userName,
    decision: 'approve',
    outcome: 'succeeded',
    errorCode: null,
    graphStatus: 204,
    graphRequestId: 'r-1',
    graphErrorCode: null,
    correlationId: 'corr-1',
    cloud: 'global',
    durationMs: 10,
  };
}

const alertFor = (userName: string): Promise<string> => actionAlertOf(line(userName));

describe("alerts: the actor's name as Teams gave it", () => {
  it('a bidirectional override or a control character in it is left out', async () => {
    const said = await alertFor('Megan\u202E nawoB\u0007');
    assert.doesNotMatch(said, /\\u202e|\u202E|\\u0007/i, said);
    assert.match(said, /"Megan nawoB decided the access package request as approved"/, said);
  });

  it('a name of only such characters is no name', async () => {
    const said = await alertFor('\u202E\u2066');
    assert.doesNotMatch(said, /\\u202e|\u202E|\\u2066|\u2066/i, said);
    assert.match(said, /"Someone decided the access package request as approved"/, said);
  });

  it('a name without them is shown as it is', async () => {
    assert.match(await alertFor('Megan Bowen'), /"Megan Bowen decided the access package request as approved"/);
  });
});
