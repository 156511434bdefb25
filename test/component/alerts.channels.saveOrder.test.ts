// Two Saves of the same settings card in quick succession: each edit for everyone (updateActivity)
// runs after its invoke's answer, so the two edits may be on their way together and land in either
// order. Whatever order Teams takes them in, the card everyone ends up seeing must be the settings
// as stored, never the older Save's: the card writes all its toggles at once, so a stale card saved
// again would quietly undo the newer Save.
// updateActivity replaces the whole card: https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages

import { strict as assert } from 'node:assert';
import { Activity } from 'botbuilder';
import { AlertsRig, CH_A, cardToggles } from './alertsRig';
import { User } from './botRig';
import { channelAlertsSession } from './channelAlertsSession';
import { settle } from './fakeClock';

const CARD = 'settings-card-1';

/** The Save of the settings card posted as CARD in CH_A, as Teams sends it. */
function saveClick(a: AlertsRig, user: User, data: Record<string, unknown>): Partial<Activity> {
  return a.saveClick(user, CH_A, CARD, data);
}

/** Holds each card update until the test lets it through; the held ones, oldest first. */
function holdEachUpdate(a: AlertsRig): Array<() => void> {
  const held: Array<() => void> = [];
  a.rig.adapter.use(async (ctx, next) => {
    ctx.onUpdateActivity(async (_c, _activity, update) => {
      await new Promise<void>((r) => held.push(r));
      return update();
    });
    await next();
  });
  return held;
}

/** The toggles that are on in a card update, by id. */
function onToggles(update: Partial<Activity> | undefined): string[] {
  const content = update?.attachments?.[0]?.content as { body?: Array<{ type?: string; id?: string; value?: string }> };
  return (content?.body ?? []).filter((e) => e.type === 'Input.Toggle' && e.value === 'true').map((e) => e.id ?? '');
}

describe('two Saves of the settings card: the card everyone sees ends as stored', () => {
  const session = channelAlertsSession();
  const { owner, install } = session;

  it('shows the newer Save even when the older Save edit is let through last', async () => {
    const { a } = session;
    await install();
    const held = holdEachUpdate(a);

    const first = await a.rig.turn(saveClick(a, owner(), cardToggles(['roleRequests'])));
    const second = await a.rig.turn(saveClick(a, owner(), cardToggles(['actions'])));
    assert.equal(first.invoke?.status, 200);
    assert.equal(second.invoke?.status, 200);
    assert.deepEqual((await a.alerts.subscriptions.get(CH_A))?.categories, ['actions']);

    // Let the edits through newest first: before the fix both were on their way at once, and the
    // older one, let through last, left the card showing roleRequests.
    for (let rounds = 0; rounds < 10; rounds++) {
      await settle();
      const release = held.pop();
      if (!release) break;
      release();
    }
    await a.rig.bot.idle();

    const edits = a.rig.updates.filter((u) => u.id === CARD);
    assert.ok(edits.length >= 1, 'the card everyone sees was updated');
    assert.deepEqual(onToggles(edits[edits.length - 1]), ['actions'], 'the last edit shows the settings as stored');
  });
});
