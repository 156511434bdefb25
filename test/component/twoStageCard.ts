// A channel card for the seed's two-stage PIM role request (Megan Bowen approves the first stage,
// Lynne Robbins the second), on the in-process rig: the setup the approval-card tests share.

import * as fs from 'node:fs';
import { buttonData } from '../../src/bot/cardActions';
import { Target } from '../../src/domain/operations';
import { Rig } from './botRig';

export type User = ReturnType<Rig['user']>;
export type Card = { actions?: Array<{ title?: string }> };

export const TWO_STAGES = '95c690fb-3eb3-4942-a03f-4524aed6f32b';
const CHANNEL = '19:approvers@thread.tacv2';
const CARD = 'card-two-stages';
const APPROVE: Target = { operation: 'decideRoleApproval', ids: { requestId: TWO_STAGES }, decision: 'approve' };

/** Registers the rig's lifecycle in the calling `describe`; `rig()` is the current test's rig. */
export function twoStageCard() {
  let dir: string;
  let r: Rig;
  beforeEach(async () => {
    dir = Rig.dir();
    r = new Rig(dir, { silent: true });
    await r.bindings.bind(CHANNEL, CARD, [{ operation: APPROVE.operation, ids: APPROVE.ids }]);
  });
  afterEach(async () => {
    await r.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** An Action.Execute press of the card's Approve button in the channel. */
  async function pressApprove(user: User) {
    const value = {
      action: { type: 'Action.Execute', verb: 'governance.act', data: buttonData(APPROVE) },
      trigger: 'manual',
    };
    const turn = await r.invoke(user, 'adaptiveCard/action', value, {
      replyToId: CARD,
      conversation: { id: CHANNEL, conversationType: 'channel', tenantId: r.seed.tenantId, isGroup: true, name: '' },
    });
    return turn.invoke?.body as { value?: Card } | undefined;
  }

  return {
    rig: () => r,
    pressApprove,
    stagePatches: () => r.tenant.graphRequests().filter((q) => q.method === 'PATCH'),
    buttons: (card: Card | undefined) => (card?.actions ?? []).map((a) => a.title),
  };
}
