// A list card outlives its snapshot: the snapshot (the rows and when they were read) is kept 14 days
// (src/state/listCards.ts), the card's binding 90 (src/state/cardBindings.ts). A row's button pressed
// after the snapshot is gone is answered "too old to act on": nothing may reach Graph then, or the
// clicker is told nothing was done while the request was decided.
// https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0

import { strict as assert } from 'node:assert';
import { Activity } from 'botbuilder';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';
import { pressOf } from '../fixtures/pressedData';

interface ListContent {
  body: Array<{ type?: string; items?: Array<{ type?: string; actions?: Array<Record<string, unknown>> }> }>;
}
const contentOf = (a: Partial<Activity> | undefined): ListContent =>
  (a?.attachments?.[0]?.content ?? { body: [] }) as ListContent;

describe('my approvals: a list card whose snapshot expired', () => {
  let rig: Rig;
  rigPerTest((r) => (rig = r));

  it('a row’s Approve sends nothing to Graph and says the list is too old', async () => {
    const megan = rig.user(0);
    const { sent } = await rig.message(megan, 'my approvals');
    const card = sent.find((a) => a.attachments?.length)!;
    const rows = contentOf(card).body.filter((b) => b.type === 'Container');
    const buttons = rows[0]!.items!.find((i) => i.type === 'ActionSet')!.actions!;
    const approve = buttons.flatMap(pressOf).find((b) => b.title === 'Approve')!.data as Record<string, unknown>;
    // Fourteen days on, the snapshot has expired; the binding (90 days) has not.
    const key = `list:${rig.conversationOf(megan)}:${card.id!}`;
    assert.ok(await rig.state.records.get(key), 'the list snapshot was stored under its key');
    assert.ok(await rig.state.records.delete(key));
    assert.ok(await rig.bindings.cardOf(rig.conversationOf(megan), card.id!), 'the binding is still there');

    const value = { action: { type: 'Action.Execute', verb: approve.verb, data: approve }, trigger: 'manual' };
    const r = await rig.invoke(megan, 'adaptiveCard/action', value, { replyToId: card.id! });
    const answer = JSON.stringify(r.invoke?.body);
    assert.match(answer, /too old to act on/);
    const patches = rig.tenant.graphRequests().filter((q) => q.method === 'PATCH');
    assert.deepEqual(
      patches.map((q) => `${q.method} ${q.path}`),
      [],
      'a click answered "too old to act on" wrote to Graph',
    );
  });

  // Contract §6: every attempt leaves one audit line, a refusal before Graph as much as a card-binding one.
  it('the refused click writes one audit line, as a card-binding refusal does, and calls no Graph', async () => {
    const megan = rig.user(0);
    const { sent } = await rig.message(megan, 'my approvals');
    const card = sent.find((a) => a.attachments?.length)!;
    const rows = contentOf(card).body.filter((b) => b.type === 'Container');
    const buttons = rows[0]!.items!.find((i) => i.type === 'ActionSet')!.actions!;
    const approve = buttons.flatMap(pressOf).find((b) => b.title === 'Approve')!.data as Record<string, unknown>;
    assert.ok(await rig.state.records.delete(`list:${rig.conversationOf(megan)}:${card.id!}`));
    const auditsBefore = rig.logs.filter((l) => l.event === 'governance.action').length;
    const graphBefore = rig.tenant.graphRequests().length;

    const value = { action: { type: 'Action.Execute', verb: approve.verb, data: approve }, trigger: 'manual' };
    const r = await rig.invoke(megan, 'adaptiveCard/action', value, { replyToId: card.id! });
    assert.match(JSON.stringify(r.invoke?.body), /too old to act on/);

    const audits = rig.logs.filter((l) => l.event === 'governance.action').slice(auditsBefore);
    assert.equal(audits.length, 1, 'the refused click wrote exactly one audit line');
    const line = audits[0]!;
    assert.equal(line.outcome, 'failed');
    assert.equal(line.errorCode, 'BAD_INPUT');
    assert.equal(line.graphStatus, null, 'no Graph answer came');
    assert.equal(line.refused, 'listExpired');
    assert.equal(line.via, 'list.execute');
    assert.equal(line.activityId, card.id);
    assert.equal(line.userId, megan.aadObjectId);
    assert.equal(line.operation, approve.operation);
    assert.equal(line.decision, approve.decision);
    assert.deepEqual(rig.tenant.graphRequests().slice(graphBefore), [], 'the refused click called Graph');
  });
});
