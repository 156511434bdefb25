// A press of Save on a settings card the bot sent, as Teams sends it: the Save button's data (the
// Action.Execute's, or its Action.Submit fallback's on clients without Universal Actions) with every
// Input.Toggle's value merged in, valueOn or valueOff, the ones the person switched as they left them
// (https://learn.microsoft.com/en-us/adaptive-cards/schema-explorer/input-toggle).

import { strict as assert } from 'node:assert';
import type { Activity } from 'botbuilder';
import { CH_A } from './alertsRig';
import type { User } from './botRig';
import type { ChannelAlertsSession } from './channelAlertsSession';

interface Node {
  readonly type?: unknown;
  readonly [key: string]: unknown;
}

/** Every object in `value`, depth first. */
function nodesOf(value: unknown, out: Node[] = []): Node[] {
  if (Array.isArray(value)) for (const v of value) nodesOf(v, out);
  else if (value && typeof value === 'object') {
    out.push(value as Node);
    for (const v of Object.values(value)) nodesOf(v, out);
  }
  return out;
}

/** The last settings card (an Adaptive Card with the alerts.save Save) in what a turn sent, an
 * invoke's answer or an update. */
export function settingsCardIn(value: unknown): Node {
  const cards = nodesOf(value).filter(
    (n) => n.type === 'AdaptiveCard' && nodesOf(n).some((x) => x.type === 'Action.Execute' && x.verb === 'alerts.save'),
  );
  const card = cards.at(-1);
  assert.ok(card, `no settings card in ${JSON.stringify(value).slice(0, 300)}`);
  return card;
}

/** The toggles `card` shows, id to value ('true' or 'false'). */
export function togglesOf(card: Node): Record<string, string> {
  const toggles = nodesOf(card).filter((n) => n.type === 'Input.Toggle');
  return Object.fromEntries(toggles.map((t) => [String(t.id), String(t.value)]));
}

/** What Teams sends when Save is pressed on `card` after switching `switched` (id to on). */
export function pressedSave(
  card: Node,
  switched: Readonly<Record<string, boolean>> = {},
  via: 'execute' | 'submit' = 'execute',
): Record<string, unknown> {
  const save = nodesOf(card).find((n) => n.type === 'Action.Execute' && n.verb === 'alerts.save');
  const button = via === 'execute' ? save : (save?.fallback as Node | undefined);
  assert.ok(button?.data && typeof button.data === 'object', 'the Save button has data');
  const toggles = togglesOf(card);
  for (const [id, on] of Object.entries(switched)) {
    assert.ok(id in toggles, `the card shows no toggle ${id}`);
    toggles[id] = on ? 'true' : 'false';
  }
  return { ...(button.data as Record<string, unknown>), ...toggles };
}

/** The cards a turn sent, for settingsCardIn. */
export const sentCards = (sent: ReadonlyArray<Partial<Activity>>): unknown =>
  sent.map((a) => (a.attachments ?? []).map((x) => x.content));

/** For Saves from cards shown before either: `other` makes the second seed user an owner of the
 * team too (so they may save), `shownCard` is the settings card `user` is shown in CH_A. */
export function ownersCards(session: ChannelAlertsSession) {
  const other = (): User => {
    const user = session.a.rig.user(1);
    session.a.roles.set(user.id, 'owner');
    return user;
  };
  const shownCard = async (user = session.owner()) =>
    settingsCardIn(sentCards((await session.a.say(user, CH_A, 'alerts')).sent));
  return { other, shownCard };
}
