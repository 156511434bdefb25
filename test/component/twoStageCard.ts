// A channel card with an Approve button for one of the seed's two-stage requests, on the
// in-process rig: the setup the approval-card tests share. By default the two-stage PIM role request
// (Megan Bowen approves the first stage, Lynne Robbins the second); FINANCE_REPORTS is the access
// request whose first stage Megan Bowen or Lynne Robbins approve and whose second Lynne alone.
// Also a gate and held card updates, for the tests that hold one instance's edit of the card while
// another acts.

import { strict as assert } from 'node:assert';
import { Activity, ConversationReference, TurnContext } from 'botbuilder';
import { pressOf, pressedData } from '../fixtures/pressedData';
import { Target } from '../../src/domain/operations';
import { Rig, RigOptions } from './botRig';
import { rigPerTest } from './rigPerTest';
import { buttonsOf as cardButtonsOf } from '../fixtures/cardButtons';

export type User = ReturnType<Rig['user']>;
export type Card = Record<string, unknown>;

/** The card's buttons (in its ActionSet), each as title and data. */
const buttonsOf = (card: Card | undefined) => cardButtonsOf<{ title?: string; data?: unknown }>(card);

export const TWO_STAGES = '95c690fb-3eb3-4942-a03f-4524aed6f32b';
export const FINANCE_REPORTS = '7999249e-249e-7999-9e24-99799e249984';
export const CHANNEL = '19:approvers@thread.tacv2';
export const CARD = 'card-two-stages';

export const approveOf = (operation: Target['operation'], requestId: string): Target => ({
  operation,
  ids: { requestId },
  decision: 'approve',
});
const ROLE_APPROVAL = approveOf('decideRoleApproval', TWO_STAGES);

/** An Action.Execute press by `user` on `rig`, carrying `data`, on the card `card` (CARD by default)
 * in the channel: the invoke's answer. */
export async function pressInChannel(rig: Rig, user: User, data: unknown, card = CARD) {
  const value = { action: { type: 'Action.Execute', verb: 'governance.act', data }, trigger: 'manual' };
  const turn = await rig.invoke(user, 'adaptiveCard/action', value, {
    replyToId: card,
    conversation: { id: CHANNEL, conversationType: 'channel', tenantId: rig.seed.tenantId, isGroup: true, name: '' },
  });
  return turn.invoke?.body as { value?: Card } | undefined;
}

/** A gate the test opens; `reached` resolves once something waits at it. */
function gate() {
  let open!: () => void;
  let reach!: () => void;
  const opened = new Promise<void>((res) => (open = res));
  const reached = new Promise<void>((res) => (reach = res));
  return { open, opened, reached, reach };
}

/** For heldUpdates: the first update is held until `open()`, then answered as `outcome` says; the
 * rest pass. `reached` resolves once the first waits. */
export function holdFirstUpdate(outcome: 'answered' | 'cut') {
  const hold = gate();
  let first = true;
  const held = async (): Promise<'cut' | void> => {
    if (!first) return;
    first = false;
    hold.reach();
    await hold.opened;
    return outcome === 'cut' ? 'cut' : undefined;
  };
  return { held, reached: hold.reached, open: hold.open };
}

/** Megan Bowen approves the two-stage role request's first stage on CARD on instance `a` (the card
 * she gets keeps Approve for the next stage); once `a`'s edit is `held`, Lynne Robbins approves the
 * second on instance `b` (she sees the request decided). */
export async function stagesOnTwoInstances(a: Rig, b: Rig, held: Promise<void>): Promise<void> {
  const [megan, lynne] = [a.user(0), a.user(5)];
  const stageOne = (await pressInChannel(a, megan, pressedData(ROLE_APPROVAL)))?.value;
  const again = buttonsOf(stageOne)
    .flatMap(pressOf)
    .find((x) => x.title === 'Approve')?.data;
  assert.ok(again, `the card keeps Approve for the next stage: ${JSON.stringify(stageOne)}`);
  await held;

  const stageTwo = (await pressInChannel(b, lynne, again))?.value;
  assert.doesNotMatch(JSON.stringify(stageTwo), /Action\.Execute/, 'the clicker sees the request decided');
}

/** An update handler (for `onUpdateActivity`) letting each card update reach Teams once `held()`
 * lets it (pushed to `landed` as it reaches Teams); an update `held()` answers 'cut' reaches Teams
 * and yet fails, as one cut at its deadline. */
export const landWhenLet =
  (held: () => Promise<'cut' | void>, landed: Array<Partial<Activity>>) =>
  async (_c: TurnContext, activity: Partial<Activity>, next: () => Promise<void>): Promise<void> => {
    const cut = await held();
    landed.push(activity);
    if (cut) throw Object.assign(new Error('The Bot Connector did not answer.'), { code: 'ETIMEDOUT' });
    return next();
  };

/** `rig`'s proactive turns, their card updates reaching Teams as landWhenLet says. */
export const heldUpdates =
  (rig: Rig, held: () => Promise<'cut' | void>, landed: Array<Partial<Activity>>) =>
  (reference: Partial<ConversationReference>, logic: (ctx: TurnContext) => Promise<void>) =>
    rig.proactive(reference, async (ctx) => {
      ctx.onUpdateActivity(landWhenLet(held, landed));
      await logic(ctx);
    });

/** Registers the rig's lifecycle in the calling `describe` and binds CARD to `approve`'s item;
 * `rig()` is the current test's rig. */
export function twoStageCard(approve: Target = ROLE_APPROVAL, opts: Omit<RigOptions, 'silent'> = {}) {
  let r: Rig;
  rigPerTest(
    async (rig) => {
      r = rig;
      await r.bindings.bind(CHANNEL, CARD, [{ operation: approve.operation, ids: approve.ids }]);
    },
    { ...opts, silent: true },
  );

  /** An Action.Execute press carrying `data` (the card's Approve button by default) on the card
   * `card` (CARD by default) in the channel. */
  const press = (user: User, data: unknown = pressedData(approve), card = CARD) => pressInChannel(r, user, data, card);

  return {
    rig: () => r,
    press,
    pressApprove: (user: User) => press(user),
    stagePatches: () => r.tenant.graphRequests().filter((q) => q.method === 'PATCH'),
    buttons: (card: Card | undefined) => buttonsOf(card).map((a) => a.title),
    approveOn: (card: Card | undefined) =>
      buttonsOf(card)
        .flatMap(pressOf)
        .find((a) => a.title === 'Approve')?.data,
  };
}
