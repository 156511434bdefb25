// A press through a card's Action.Submit fallback (older Teams clients) is a message, not an invoke,
// so nothing answers it for the presser alone: the bot answers with a new message in the
// conversation (https://learn.microsoft.com/adaptive-cards/authoring-cards/universal-action-model#teams).
// That message is no card the bot posted for the item or the list: a press on a button it carried
// would be refused ("That button did not work"). So no answer carries a button the bot would
// refuse: each one below has its buttons pressed, through the same fallback, and none may be
// refused. A press again is on the pressed card, whose buttons stay, and the answer says so.

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import type { Target } from '../../src/domain/operations';
import type { Records } from '../../src/state/port';
import { pressedData } from '../fixtures/pressedData';
import { Rig, User, cardsOf } from './botRig';
import { failing } from './failingStore';
import { buttonsOf, contentOf, keepRequestsShowing, rowsOf } from './listSession';
import { rigPerTest } from './rigPerTest';
import { CHANNEL, FINANCE_REPORTS, approveOf } from './twoStageCard';

/** Every Action.Submit data in a message's cards: a button's fallback, or the button itself. */
function submitDataOf(activity: Partial<Activity>): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.type === 'Action.Submit' && n.data && typeof n.data === 'object')
      found.push(n.data as Record<string, unknown>);
    Object.values(n).forEach(walk);
  };
  walk((activity.attachments ?? []).map((a) => a.content));
  return found;
}

const inChannel = () => ({
  id: CHANNEL,
  conversationType: 'channel',
  tenantId: '',
  isGroup: true,
  name: '',
});

/** Graph's 403 to every write: a failure the presser may mend and retry (the item still waits). */
const forbidWrites = (r: Rig): void => {
  r.hold = (req) =>
    req.method === 'GET'
      ? null
      : Promise.resolve(
          new Response(JSON.stringify({ error: { code: 'Forbidden', message: 'Insufficient privileges.' } }), {
            status: 403,
            headers: { 'content-type': 'application/json' },
          }),
        );
};

describe('card clicks: what an Action.Submit press is answered with', () => {
  let r: Rig;
  let megan: User;
  const pending = { records: null as (Records & { failing: boolean }) | null };
  const role: () => Target = () => ({
    operation: 'cancelRoleRequest',
    ids: { requestId: r.seed.examples.roleRequestId },
  });
  rigPerTest(
    (rig) => {
      r = rig;
      megan = r.user(0);
    },
    { pendingRecords: (inner) => (pending.records = failing(inner)) },
  );

  /** `user`'s press of `data` on the message `cardId` in their chat, as the fallback sends it: the
   * messages it was answered with. */
  async function submit(user: User, cardId: string, data: Record<string, unknown>, channel = false) {
    const where = channel ? { conversation: inChannel() } : {};
    const { sent } = await r.message(user, '', { text: undefined, value: data, replyToId: cardId, ...where });
    return sent.filter((a) => a.type === 'message');
  }

  /** Presses every button the answers carry, as the fallback sends it: none may be refused. */
  async function pressEveryButtonOf(user: User, answers: Array<Partial<Activity>>, channel = false): Promise<void> {
    r.hold = null;
    for (const answer of answers)
      for (const data of submitDataOf(answer)) {
        const said = cardsOf(await submit(user, answer.id!, data, channel));
        assert.doesNotMatch(said, /That button did not work/, `a button of ${cardsOf([answer])} is refused: ${said}`);
      }
  }

  /** The answer names the pressed card's button as the one to press again. */
  const pointsAtPressedCard = (said: string): void =>
    assert.match(said, /press the pressed card's button again/, `it points at the pressed card: ${said}`);

  it('a failure the presser may retry (Graph 403)', async () => {
    await r.signIn(megan);
    await r.postCard(megan, 'card-1', role());
    forbidWrites(r);
    const answers = await submit(megan, 'card-1', pressedData(role()));
    const said = cardsOf(answers);
    assert.match(said, /403|permission/i, said);
    await pressEveryButtonOf(megan, answers);
    pointsAtPressedCard(said);
  });

  it('the state store failed before the press could wait for sign-in', async () => {
    await r.postCard(megan, 'card-1', role());
    pending.records!.failing = true;
    const answers = await submit(megan, 'card-1', pressedData(role()));
    const said = cardsOf(answers);
    assert.match(said, /could not use its own storage/i, said);
    pending.records!.failing = false;
    await pressEveryButtonOf(megan, answers);
    pointsAtPressedCard(said);
  });

  it('not for the presser: Graph shows them no such item (404)', async () => {
    const gone: Target = { operation: 'cancelRoleRequest', ids: { requestId: '00000000-0000-0000-0000-0000000000bb' } };
    await r.signIn(megan);
    await r.postCard(megan, 'card-1', gone);
    const answers = await submit(megan, 'card-1', pressedData(gone));
    const said = cardsOf(answers);
    assert.match(said, /shows you no such/, said);
    await pressEveryButtonOf(megan, answers);
    assert.equal(r.writes().length, 0, 'nothing sent');
  });

  it('a list row’s failure the presser may retry (Graph 403)', async () => {
    await keepRequestsShowing(r, megan, 'list-1', role());
    await r.postCard(megan, 'list-1', role());
    await r.signIn(megan);
    forbidWrites(r);
    const answers = await submit(megan, 'list-1', pressedData(role(), { list: 'requests' }));
    const said = cardsOf(answers);
    assert.match(said, /403|permission/i, said);
    await pressEveryButtonOf(megan, answers);
    pointsAtPressedCard(said);
  });

  it('a list row’s press the state store failed', async () => {
    await keepRequestsShowing(r, megan, 'list-1', role());
    await r.postCard(megan, 'list-1', role());
    pending.records!.failing = true;
    const answers = await submit(megan, 'list-1', pressedData(role(), { list: 'requests' }));
    const said = cardsOf(answers);
    assert.match(said, /could not use its own storage/i, said);
    pending.records!.failing = false;
    await pressEveryButtonOf(megan, answers);
    pointsAtPressedCard(said);
  });

  it('a list row decided while Teams refuses to edit the list card: the list posted again, its buttons acting', async () => {
    await r.signIn(megan);
    const { sent } = await r.message(megan, 'my requests');
    const list = sent.find((a) => a.attachments?.length)!;
    const rows = rowsOf(contentOf(list)).filter((row) => buttonsOf(row).length > 0);
    assert.ok(rows.length >= 2, 'two rows with Cancel');
    r.failUpdates = true;
    const cancel = submitDataOf({ attachments: [{ contentType: '', content: rows[0] }] })[0]!;
    const answers = await submit(megan, list.id!, cancel);
    assert.match(cardsOf(answers), /Cancelled by Megan Bowen/, cardsOf(answers));
    r.failUpdates = false;
    assert.ok(submitDataOf(answers[0]!).length > 0, 'the other rows keep their Cancel');
    await pressEveryButtonOf(megan, answers);
  });

  it('a first stage approved while Teams refuses to edit the card: no button left to the next stage that would be refused', async () => {
    const lynne = r.user(5);
    const approve = approveOf('decideAccessPackageApproval', FINANCE_REPORTS);
    await r.signIn(megan);
    await r.signIn(lynne);
    await r.bindings.bind(CHANNEL, 'card-1', [{ operation: approve.operation, ids: approve.ids }]);
    r.failUpdates = true;
    const answers = await submit(megan, 'card-1', pressedData(approve), true);
    r.failUpdates = false;
    const said = cardsOf(answers);
    assert.match(said, /Approved by Megan Bowen/, said);
    await pressEveryButtonOf(lynne, answers, true);
    assert.match(
      said,
      /the next stage's approvers press the pressed card's button, or decide it from \\"my approvals\\"/,
      said,
    );
  });
});
