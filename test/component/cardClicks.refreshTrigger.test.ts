// An `adaptiveCard/action` invoke whose `trigger` is "automatic" is a card's refresh, which Teams
// sends by itself when a card that declares `refresh` is shown; only "manual" is a person's press:
// "value.trigger: Indicates if the action was triggered explicitly (by the user clicking a button)
// or implicitly (via automatic refresh)"
// (https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/universal-action-model#request-format;
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards).
// No card of this bot declares a refresh, so an automatic invoke is nobody's decision: it must
// never cancel, approve or save anything, whatever verb and data it carries. It is answered in the
// Universal Actions error shape (HTTP 200, statusCode 400), which leaves the card as it is.

import { strict as assert } from 'node:assert';
import { pressedData } from '../fixtures/pressedData';
import { Target } from '../../src/domain/operations';
import { CH_A } from './alertsRig';
import { Rig } from './botRig';
import { channelAlertsSession } from './channelAlertsSession';
import { rigPerTest } from './rigPerTest';

describe('card clicks: an automatic refresh never acts', () => {
  let r: Rig;
  rigPerTest((rig) => (r = rig));

  it('a governance button arriving as an automatic refresh sends nothing to Graph; a press still acts', async () => {
    const megan = r.user(0);
    const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: r.seed.examples.roleRequestId } };
    await r.signIn(megan);
    await r.postCard(megan, 'card-1', target);

    const refresh = await r.invoke(
      megan,
      'adaptiveCard/action',
      { action: { type: 'Action.Execute', verb: 'governance.act', data: pressedData(target) }, trigger: 'automatic' },
      { replyToId: 'card-1' },
    );
    assert.equal(refresh.invoke?.status, 200);
    const body = refresh.invoke?.body as { statusCode?: number; type?: string; value?: { message?: string } };
    assert.equal(body.statusCode, 400);
    assert.equal(body.type, 'application/vnd.microsoft.error');
    assert.match(String(body.value?.message), /Nothing was done/);
    assert.equal(r.tenant.graphRequests().length, 0, 'no Graph call at all, not even the read');
    assert.equal(r.tenant.getRoleRequest(r.seed.examples.roleRequestId)?.status, 'PendingApproval');
    assert.equal(r.updates.length, 0, 'the card is not replaced for anyone');

    const press = await r.click(megan, target, 'card-1');
    assert.equal(press.body.statusCode, 200);
    assert.equal(r.tenant.getRoleRequest(r.seed.examples.roleRequestId)?.status, 'Canceled');
  });
});

describe('alert settings: an automatic refresh never saves', () => {
  const session = channelAlertsSession();

  it('a Save arriving as an automatic refresh changes no subscription', async () => {
    const { a } = session;
    await session.install();
    const save = a.saveClick(session.owner(), CH_A, 'settings-card-1', { roleRequests: 'true' });
    const value = { ...(save.value as object), trigger: 'automatic' };
    const answer = await a.rig.turn({ ...save, value });
    const body = answer.invoke?.body as { statusCode?: number; type?: string };
    assert.equal(body.statusCode, 400);
    assert.equal(body.type, 'application/vnd.microsoft.error');
    assert.deepEqual((await a.alerts.subscriptions.get(CH_A))?.categories ?? [], []);
  });
});
