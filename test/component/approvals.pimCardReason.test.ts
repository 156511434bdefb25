// A PIM approval's default policy asks the approver for a justification: the Approval_EndUser_Assignment
// rule's stage has "isApproverJustificationRequired": true
// (https://learn.microsoft.com/en-us/graph/api/unifiedrolemanagementpolicy-list-rules?view=graph-rest-1.0,
// https://learn.microsoft.com/en-us/graph/api/resources/unifiedrolemanagementpolicyapprovalrule?view=graph-rest-1.0),
// and the decision carries it (https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0).
// So a PIM card's Approve opens a "Why?" box and sends what the approver typed; pressed with the
// box empty it is refused by the bot, before any Graph write, saying a reason is needed. The typed
// command keeps its justification optional (contract §3); Graph's refusal of one without it says
// how to approve again with a reason.

import { strict as assert } from 'node:assert';
import { buttonData } from '../../src/bot/cardActions';
import { buttonsFor } from '../../src/bot/replyCards';
import type { Target } from '../../src/domain/operations';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

const text = (x: unknown): string => JSON.stringify(x);

const KINDS = [
  { operation: 'decideRoleApproval', kind: 'role', id: (r: Rig) => r.seed.examples.roleApprovalId },
  { operation: 'decideGroupApproval', kind: 'group', id: (r: Rig) => r.seed.examples.groupApprovalId },
] as const;

describe('PIM approvals from a card ask the approver why', () => {
  let r: Rig;
  rigPerTest((rig) => (r = rig), { silent: true });
  const patches = () => r.tenant.graphRequests().filter((q) => q.method === 'PATCH');

  for (const k of KINDS) {
    it(`${k.kind}: the card's Approve opens a "Why?" box`, () => {
      const target: Target = { operation: k.operation, ids: { requestId: k.id(r) } };
      const approve = buttonsFor(target).find((b) => b.title === 'Approve')!;
      assert.equal(approve.input, `justification_approve_${k.id(r)}`);
      assert.match(approve.inputLabel, /^Why\?/);
    });

    it(`${k.kind}: Approve pressed with the box empty is refused before Graph, saying a reason is needed`, async () => {
      const id = k.id(r);
      const approve: Target = { operation: k.operation, ids: { requestId: id }, decision: 'approve' };
      const megan = r.user(0);
      await r.signIn(megan);
      await r.postCard(megan, 'card-p', approve);
      const bare = await r.click(megan, { ...approve, justification: '' }, 'card-p');
      const words = text(bare.body);
      assert.equal((bare.body as { statusCode?: number }).statusCode, 400, words.slice(0, 800));
      assert.match(words, /justification is required to approve/, words.slice(0, 800));
      assert.match(words, /“Why\?” box/);
      assert.match(words, new RegExp(`approve ${k.kind}-request ${id} <reason>`));
      assert.equal(patches().length, 0, 'nothing was sent to Graph');
      assert.equal(r.tenant.getApproval(id)?.stages[0]?.status, 'InProgress');
    });

    // The Adaptive Cards renderer Teams clients use sends an input only when it is set, and a text
    // input is set only when it holds text (node_modules/adaptivecards/lib/card-elements.js,
    // Action internalPrepareForExecution and TextInput isSet): a box left empty on a client that
    // does not hold the press back for the required box
    // (https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/input-validation) arrives
    // with no justification field at all, as an old card's press does. The card's own Approve data
    // names its box, so the approver is sent to that box, not told the card has none.
    it(`${k.kind}: Approve pressed with the box empty as the renderer sends it (no field at all) asks for the box`, async () => {
      const id = k.id(r);
      const approve: Target = { operation: k.operation, ids: { requestId: id }, decision: 'approve' };
      const megan = r.user(0);
      await r.signIn(megan);
      await r.postCard(megan, 'card-p', approve);
      const shown = buttonsFor(approve).find((b) => b.title === 'Approve')!;
      assert.ok(!(shown.input in shown.data), 'the press carries no justification field');
      const value = {
        action: { type: 'Action.Execute', verb: 'governance.act', data: shown.data },
        trigger: 'manual',
      };
      const bare = await r.invoke(megan, 'adaptiveCard/action', value, { replyToId: 'card-p' });
      const words = text(bare.invoke?.body);
      assert.equal((bare.invoke?.body as { statusCode?: number }).statusCode, 400, words.slice(0, 800));
      assert.match(words, /justification is required to approve/, words.slice(0, 800));
      assert.match(words, /Type why in the card’s “Why\?” box/, words.slice(0, 800));
      assert.doesNotMatch(words, /sends none/, words.slice(0, 800));
      assert.equal(patches().length, 0, 'nothing was sent to Graph');
      assert.equal(r.tenant.getApproval(id)?.stages[0]?.status, 'InProgress');
    });

    // A card posted before PIM approvals asked why has a plain Approve (Action.Execute, or its
    // Action.Submit fallback), with no box: its press carries no justification field at all, and the
    // refusal sends the approver to the typed command, never to a box that card lacks.
    it(`${k.kind}: Approve of a card without a "Why?" box is refused before Graph, naming the command to type`, async () => {
      const id = k.id(r);
      const approve: Target = { operation: k.operation, ids: { requestId: id }, decision: 'approve' };
      const megan = r.user(0);
      await r.signIn(megan);
      await r.postCard(megan, 'card-old', approve);
      const value = {
        action: { type: 'Action.Execute', verb: 'governance.act', data: buttonData(approve) },
        trigger: 'manual',
      };
      const old = await r.invoke(megan, 'adaptiveCard/action', value, { replyToId: 'card-old' });
      const words = text(old.invoke?.body);
      assert.equal((old.invoke?.body as { statusCode?: number }).statusCode, 400, words.slice(0, 800));
      assert.match(words, /justification is required to approve/, words.slice(0, 800));
      assert.match(words, new RegExp(`Send \\\\"approve ${k.kind}-request ${id} <reason>\\\\"`), words.slice(0, 800));
      assert.doesNotMatch(words, /box/i, words.slice(0, 800));
      assert.equal(patches().length, 0, 'nothing was sent to Graph');
      assert.equal(r.tenant.getApproval(id)?.stages[0]?.status, 'InProgress');
    });

    it(`${k.kind}: Approve with a reason in the box sends it, and the request is approved`, async () => {
      const id = k.id(r);
      const approve: Target = { operation: k.operation, ids: { requestId: id }, decision: 'approve' };
      const megan = r.user(0);
      await r.signIn(megan);
      await r.postCard(megan, 'card-p', approve);
      const value = {
        action: {
          type: 'Action.Execute',
          verb: 'governance.act',
          data: { ...buttonData(approve), [`justification_approve_${id}`]: '  Change ticket 4711  ' },
        },
        trigger: 'manual',
      };
      const done = await r.invoke(megan, 'adaptiveCard/action', value, { replyToId: 'card-p' });
      assert.match(text(done.invoke?.body), /Approved by Megan Bowen/, text(done.invoke?.body).slice(0, 800));
      assert.deepEqual(JSON.parse(patches()[0]!.body ?? '{}'), {
        reviewResult: 'Approve',
        justification: 'Change ticket 4711',
      });
    });

    it(`${k.kind}: a typed approve without a reason is sent, and Graph's refusal says how to give one`, async () => {
      const id = k.id(r);
      const { sent } = await r.message(r.user(0), `approve ${k.kind}-request ${id}`);
      const words = text(sent);
      assert.equal(patches().length, 1, 'the typed command keeps its justification optional');
      assert.match(words, /You gave no justification/, words.slice(0, 800));
      assert.match(words, new RegExp(`approve ${k.kind}-request ${id} <reason>`));
      assert.match(words, /“Why\?” box/);
      assert.doesNotMatch(words, /Approve button sends none/);
    });
  }
});
