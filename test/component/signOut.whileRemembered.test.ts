// A `sign out` handled while the bot remembers a command for the user's sign-in (between the
// write of the user's index of waiting commands and that of the command: state/signIns.ts add)
// forgets it all the same (contract §3: `sign out` forgets the token and every command waiting for
// the user's sign-in). The command is not asked to sign in for: no Sign in card (a typed command)
// and no loginRequest (a press, answered with a message instead:
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards);
// its one audit line (contract §6) says `abandoned: "signedOut"`, and the expiry pass ends nothing.

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import type { AuditLine } from '../../src/domain/governance';
import type { Target } from '../../src/domain/operations';
import { afterUserList } from './afterUserList';
import { Rig } from './botRig';
import { FakeClock } from './fakeClock';
import { rigPerTest } from './rigPerTest';
import { assertAbandonedLine, auditLinesOf, expirySweep } from './waitingCommand';

const OAUTH = 'application/vnd.microsoft.card.oauth';

describe('a sign out while a command is being remembered for sign-in', () => {
  let r: Rig;
  const clock = new FakeClock();
  const hook = afterUserList();
  rigPerTest((rig) => (r = rig), { clock, pendingRecords: hook.wrap });

  async function nothingWaitsAfter(before: number): Promise<AuditLine[]> {
    const megan = r.user(0);
    assert.equal(await r.signInFlow.latestFor(megan.aadObjectId), null, 'nothing waits for her sign-in');
    const lines = auditLinesOf(r).slice(before);
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assertAbandonedLine(lines[0]!, {
      requestId: r.seed.examples.roleRequestId,
      userId: megan.aadObjectId,
      abandoned: 'signedOut',
    });
    const swept: AuditLine[] = [];
    await clock.advance(30 * 60_000);
    await expirySweep(r, clock, swept)();
    assert.deepEqual(swept, [], 'the expiry pass ends nothing: the command ended with its line');
    return swept;
  }

  it('a typed command: no Sign in card, words saying the sign out forgot it, its one signedOut line', async () => {
    const megan = r.user(0);
    const before = auditLinesOf(r).length;
    hook.step = () => r.message(megan, 'sign out');
    const typed = await r.message(megan, `cancel role-request ${r.seed.examples.roleRequestId}`);
    assert.equal(hook.step, null, 'the sign out came in between');
    const attachments = typed.sent.flatMap((a: Partial<Activity>) => a.attachments ?? []);
    assert.ok(!attachments.some((a) => a.contentType === OAUTH), `no Sign in card: ${JSON.stringify(typed.sent)}`);
    assert.match(
      JSON.stringify(typed.sent),
      /This command ended before its sign-in could start \(you signed out, or newer commands of yours took its place\), so it was not run/,
    );
    await nothingWaitsAfter(before);
  });

  it('an Action.Execute press: a message, not a loginRequest, and its one signedOut line', async () => {
    const megan = r.user(0);
    const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
    await r.postCard(megan, 'card-1', target);
    const before = auditLinesOf(r).length;
    hook.step = () => r.message(megan, 'sign out');
    const press = await r.click(megan, target, 'card-1');
    assert.equal(hook.step, null, 'the sign out came in between');
    assert.equal(press.body.statusCode, 200, JSON.stringify(press.body));
    assert.equal(press.body.type, 'application/vnd.microsoft.activity.message');
    assert.match(String(press.body.value), /This command ended before its sign-in could start/);
    await nothingWaitsAfter(before);
  });
});
