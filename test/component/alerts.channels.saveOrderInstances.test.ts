// Two team owners save the same channel's alert settings card on two instances sharing one state
// store (one SQLite file): the card everyone in the channel ends up seeing shows the settings as
// stored (the newer Save), whichever instance's edit reaches Teams last. An edit replaces the whole
// card for everyone in the conversation, and the last update Teams takes is what they see
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages).
// Each edit is made from the settings as stored when it is sent, so the order in which the
// instances make their edits is not the order of the settings they show. Here the first Save's
// edit, on instance A, is held on its way to Teams until the second Save's, on instance B, landed.

import { strict as assert } from 'node:assert';
import { Activity } from 'botbuilder';
import { AlertsRig, CH_A, cardToggles } from './alertsRig';
import { Held, instancesOnOneFile } from './twoInstances';
import { holdFirstUpdate, landWhenLet } from './twoStageCard';

const CARD = 'settings-card-1';

/** The toggles that are on in a card update, by id. */
function onToggles(update: Partial<Activity> | undefined): string[] {
  const content = update?.attachments?.[0]?.content as { body?: Array<{ type?: string; id?: string; value?: string }> };
  return (content?.body ?? []).filter((e) => e.type === 'Input.Toggle' && e.value === 'true').map((e) => e.id ?? '');
}

describe('the settings card saved on two instances ends as stored', () => {
  /** Instances on one file; `landed()` is every update of the settings card in the order it reached
   * Teams, from both. */
  const { open, landed } = instancesOnOneFile<AlertsRig>((r) => r.close());

  /** An instance on the shared file whose updates of the card reach Teams once `held()` lets them;
   * an update `held()` answers 'cut' reaches Teams and yet fails, as one cut at its deadline. */
  function instance(held: Held = async () => undefined): AlertsRig {
    return open((dir, updates) => {
      const a = new AlertsRig(dir);
      const land = landWhenLet(held, updates);
      a.rig.adapter.use(async (ctx, next) => {
        ctx.onUpdateActivity(async (c, activity, update) =>
          activity.id !== CARD ? update() : land(c, activity, update),
        );
        await next();
      });
      return a;
    });
  }

  for (const outcome of ['answered', 'cut'] as const) {
    it(`the older Save's edit, held on A (then ${outcome}) until the newer's from B landed, does not show the older choices`, async () => {
      const hold = holdFirstUpdate(outcome);
      const a = instance(hold.held);
      const b = instance();
      const [megan, alex] = [a.rig.user(0), a.rig.user(1)];
      for (const r of [a, b]) for (const u of [megan, alex]) r.roles.set(u.id, 'owner');
      await a.teamEvent(megan, 'added');

      const older = await a.rig.turn(a.saveClick(megan, CH_A, CARD, cardToggles(['roleRequests'])));
      assert.equal(older.invoke?.status, 200);
      await hold.reached;
      const second = await b.rig.turn(b.saveClick(alex, CH_A, CARD, cardToggles(['actions'])));
      assert.equal(second.invoke?.status, 200);
      await b.rig.bot.idle();
      assert.deepEqual((await b.alerts.subscriptions.get(CH_A))?.categories, ['actions']);
      assert.deepEqual(onToggles(landed().at(-1)), ['actions'], 'B’s edit landed while A’s was held');

      hold.open();
      await a.rig.bot.idle();
      await b.rig.bot.idle();
      assert.ok(landed().length >= 2, `both instances edited the card: ${landed().length}`);
      assert.deepEqual(onToggles(landed().at(-1)), ['actions'], 'everyone sees the settings as stored');
    });
  }
});
