// A notification card ("Megan Bowen requested Global Administrator for 8 hours." with Cancel), once
// pressed, was edited for everyone to the outcome and the request's id alone ("Cancelled by Megan
// Bowen at …"): its readers in a channel could no longer tell what was cancelled. The edited card
// now keeps what the card said it was about, taken from what the bot stored when it posted the
// card (its binding), never from the button's data, which the client sends. The invoke's answer is
// the card the presser sees, and the bot edits the message for everyone else:
// https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import { pressedData } from '../fixtures/pressedData';
import { Target } from '../../src/domain/operations';
import { NotificationEvent, parseEvent } from '../../src/notifications/events';
import { recordPostedCard } from '../../src/notifications/postedCard';
import { Rig } from './botRig';
import { rigPerTest } from './rigPerTest';

/** Every text a person reads on a card, in order. */
function texts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => texts(n, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if ((o.type === 'TextRun' || o.type === 'TextBlock') && typeof o.text === 'string') out.push(o.text);
    Object.values(o).forEach((v) => texts(v, out));
  }
  return out;
}

const cardOf = (a: Partial<Activity> | undefined): unknown => a?.attachments?.[0]?.content;
const ABOUT = 'Megan Bowen requested Global Administrator for 8 hours.';

describe('a pressed notification card keeps what it was about', () => {
  let r: Rig;
  rigPerTest((rig) => {
    r = rig;
  });

  /** The event as the intake takes it, and its card bound as the delivery worker binds it. */
  async function delivered(body: Record<string, unknown>, cardId: string): Promise<NotificationEvent> {
    const parsed = parseEvent(body);
    assert.ok(parsed.ok, JSON.stringify(parsed));
    const record = { event: parsed.event, acceptedAt: new Date().toISOString() };
    const conversation = r.conversationOf(r.user(0));
    assert.equal(
      await recordPostedCard({ bindings: r.bindings, logger: r.logger }, conversation, cardId, record),
      'bound',
    );
    return parsed.event;
  }

  function roleRequest(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      eventId: 'ev-about-1',
      kind: 'roleRequest',
      target: { userId: r.user(0).aadObjectId },
      requestId: r.seed.selfService.roleRequestIds[0],
      principalName: 'Megan Bowen',
      roleName: 'Global Administrator',
      duration: '8 hours',
      ...extra,
    };
  }

  it('Cancel pressed: the presser’s card and the edit for everyone say who requested what, above the outcome', async () => {
    const megan = r.user(0);
    const event = await delivered(
      roleRequest({ title: 'Role activation', details: 'Ticket INC-42: needed tonight.' }),
      'card-about',
    );
    const answer = await r.click(megan, event.item, 'card-about');
    assert.equal(answer.status, 200);
    await r.bot.idle();
    const edited = r.updates.filter((u) => u.id === 'card-about').at(-1);
    for (const [who, card] of [
      ['presser', answer.body.value],
      ['everyone', cardOf(edited)],
    ] as const) {
      const shown = texts(card);
      const about = shown.indexOf(ABOUT);
      const outcome = shown.findIndex((t) => /^Cancelled by Megan Bowen/.test(t));
      assert.ok(about >= 0 && outcome > about, `${who}: ${shown.join(' | ')}`);
      assert.equal(shown[0], 'Role activation', `${who}: the card's own title`);
      // The sender's free details are not the subject: the edited card stays short.
      assert.ok(!shown.some((t) => t.includes('INC-42')), `${who}: ${shown.join(' | ')}`);
    }
    assert.equal(r.tenant.getRoleRequest(event.item.ids.requestId!)?.status, 'Canceled');
  });

  it('a later press from a client that still shows the buttons is shown the final word with the subject', async () => {
    const megan = r.user(0);
    const event = await delivered(roleRequest(), 'card-stale');
    await r.click(megan, event.item, 'card-stale');
    await r.bot.idle();
    const again = texts((await r.click(megan, event.item, 'card-stale')).body.value);
    assert.ok(again.includes(ABOUT), again.join(' | '));
  });

  it('the words come from the binding, never from the button: extra button data is not shown', async () => {
    const megan = r.user(0);
    const event = await delivered(roleRequest(), 'card-forged');
    const forged = { title: 'Forged', text: 'Forged', about: { title: 'Forged', line: 'Forged', facts: [] } };
    const data = { ...pressedData(event.item), ...forged };
    const value = { action: { type: 'Action.Execute', verb: 'governance.act', data }, trigger: 'manual' };
    const answer = await r.invoke(megan, 'adaptiveCard/action', value, { replyToId: 'card-forged' });
    const shown = JSON.stringify(answer.invoke?.body ?? null);
    assert.doesNotMatch(shown, /Forged/, shown);
    assert.match(shown, /Megan Bowen requested Global Administrator/, shown);
  });

  it('a card bound before cards kept their subject (no subject stored) gets the card it got before', async () => {
    const megan = r.user(0);
    const target: Target = {
      operation: 'cancelRoleRequest',
      ids: { requestId: r.seed.selfService.roleRequestIds[0]! },
    };
    await r.postCard(megan, 'card-old', target);
    const shown = texts((await r.click(megan, target, 'card-old')).body.value);
    assert.equal(shown[0], 'Cancel a PIM role assignment request', shown.join(' | '));
    assert.ok(
      shown.some((t) => /^Cancelled by Megan Bowen/.test(t)),
      shown.join(' | '),
    );
    assert.ok(!shown.includes(ABOUT), shown.join(' | '));
  });
});
