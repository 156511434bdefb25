// A channel card with an Approve button for one of the seed's two-stage requests, on the
// in-process rig: the setup the approval-card tests share. By default the two-stage PIM role request
// (Megan Bowen approves the first stage, Lynne Robbins the second); FINANCE_REPORTS is the access
// request whose first stage Megan Bowen or Lynne Robbins approve and whose second Lynne alone.

import { buttonData } from '../../src/bot/cardActions';
import { Target } from '../../src/domain/operations';
import { Rig, RigOptions } from './botRig';
import { rigPerTest } from './rigPerTest';

export type User = ReturnType<Rig['user']>;
export type Card = { actions?: Array<{ title?: string; data?: unknown }> };

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
  async function press(user: User, data: unknown = buttonData(approve), card = CARD) {
    const value = { action: { type: 'Action.Execute', verb: 'governance.act', data }, trigger: 'manual' };
    const turn = await r.invoke(user, 'adaptiveCard/action', value, {
      replyToId: card,
      conversation: { id: CHANNEL, conversationType: 'channel', tenantId: r.seed.tenantId, isGroup: true, name: '' },
    });
    return turn.invoke?.body as { value?: Card } | undefined;
  }

  return {
    rig: () => r,
    press,
    pressApprove: (user: User) => press(user),
    stagePatches: () => r.tenant.graphRequests().filter((q) => q.method === 'PATCH'),
    buttons: (card: Card | undefined) => (card?.actions ?? []).map((a) => a.title),
    approveOn: (card: Card | undefined) => card?.actions?.find((a) => a.title === 'Approve')?.data,
  };
}
