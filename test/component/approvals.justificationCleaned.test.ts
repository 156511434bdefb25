// The approver's reason is the stage's justification, the text the requester and the Entra admin
// center show (https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0,
// https://learn.microsoft.com/en-us/graph/api/approvalstep-update?view=graph-rest-beta). Control
// characters pasted with it show there as nothing or as boxes: whether typed after a command or in
// a card's "Why?" box, it reaches Graph's PATCH body without them (C0, C1 and DEL, carriage return
// among them), tab and line feed kept, and without the white space around it. A typed message's
// white space (tab and line breaks among it) is read as single spaces between words
// (normalizeText.ts), so a command's reason keeps none of them.

import { strict as assert } from 'node:assert';
import { buttonData } from '../../src/bot/cardActions';
import { buttonsFor } from '../../src/bot/replyCards';
import type { DecisionName, Target } from '../../src/domain/operations';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

const text = (x: unknown): string => JSON.stringify(x);

/** A reason with every kind of character the cleaning tells apart: C0 (BEL, NUL, ESC, CR), DEL,
 * C1 (NEL, CSI), tab and line feed, and spaces around it. */
const PASTED = ' \u0007Use the\u0000 standing\u009b role\r\nper\tpolicy\u0085 4711\u007f\u001b ';
/** What Graph is sent for it from a card's box. */
const FROM_BOX = 'Use the standing role\nper\tpolicy 4711';
/** What Graph is sent for it after a typed command: its tab and line break were word spaces. */
const FROM_COMMAND = 'Use the standing role per policy 4711';

const KINDS = [
  { operation: 'decideRoleApproval', kind: 'role', id: (r: Rig) => r.seed.examples.roleApprovalId },
  { operation: 'decideGroupApproval', kind: 'group', id: (r: Rig) => r.seed.examples.groupApprovalId },
] as const;
const DECISIONS: readonly DecisionName[] = ['approve', 'deny'];

describe('an approver’s reason reaches Graph without control characters', () => {
  let r: Rig;
  rigPerTest((rig) => (r = rig), { silent: true });
  const patchBodies = () =>
    r.tenant
      .graphRequests()
      .filter((q) => q.method === 'PATCH')
      .map((q) => JSON.parse(q.body ?? '{}') as unknown);
  const result = (decision: DecisionName) => (decision === 'deny' ? 'Deny' : 'Approve');

  for (const k of KINDS) {
    for (const decision of DECISIONS) {
      it(`${k.kind}: a typed ${decision} sends its reason cleaned`, async () => {
        const id = k.id(r);
        const { sent } = await r.message(r.user(0), `${decision} ${k.kind}-request ${id} ${PASTED}`);
        assert.deepEqual(
          patchBodies(),
          [{ reviewResult: result(decision), justification: FROM_COMMAND }],
          text(sent).slice(0, 800),
        );
      });

      it(`${k.kind}: a card's ${decision} sends the reason in its "Why?" box cleaned`, async () => {
        const id = k.id(r);
        const target: Target = { operation: k.operation, ids: { requestId: id }, decision };
        const button = buttonsFor({ operation: k.operation, ids: { requestId: id } }).find(
          (b) => b.title === result(decision),
        )!;
        assert.ok(button.input, `the card's ${decision} has its box`);
        const megan = r.user(0);
        await r.signIn(megan);
        await r.postCard(megan, 'card-c', target);
        const value = {
          action: {
            type: 'Action.Execute',
            verb: 'governance.act',
            data: { ...buttonData(target), [button.input]: PASTED },
          },
          trigger: 'manual',
        };
        const done = await r.invoke(megan, 'adaptiveCard/action', value, { replyToId: 'card-c' });
        assert.deepEqual(
          patchBodies(),
          [{ reviewResult: result(decision), justification: FROM_BOX }],
          text(done.invoke?.body).slice(0, 800),
        );
      });
    }
  }
});
