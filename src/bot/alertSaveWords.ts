// What one Save of the settings card changed, said on the card it leaves. A settings card does not
// change by itself when someone types `alerts on|off <category>` in the channel: a current card's
// Save changes only the toggles its presser switched (settingsChoices.ts), but one from a card
// posted before cards carried what they showed writes that card's old choices back. Either way its
// words say what it turned on and off, never re-enable a category without saying so.

import { AlertTopic, CATEGORIES, CATEGORY_IDS, CategoryId } from '../alerts/categories';
import type { SubscriptionAudit } from '../alerts/subscriptions';
import { shownUserName } from './turnUser';

export interface SaveWords {
  /** The settings as the Save left them: the words hold only on a card that shows these. */
  readonly wanted: { readonly categories: readonly CategoryId[]; readonly digest: boolean };
  readonly title: string;
  readonly text: string;
}

/** Said when a person's change ended the channel's suspension (a refusal by Teams, the team archived:
 * channelSuspension.ts): the channel hears alerts again, so even a change of no choice changed that. */
export const RESUMED_WORDS = 'alerts to this channel resume: they had been suspended.';

/** The words of a Save by `who` (a display name, when Teams gave one) that made `changes`;
 * `resumed`: it ended the channel's suspension. */
export function saveWords(
  channel: string,
  wanted: SaveWords['wanted'],
  changes: readonly SubscriptionAudit[],
  who: string | undefined,
  resumed = false,
): SaveWords {
  const name = (a: SubscriptionAudit) => (a.category === 'digest' ? 'Daily digest' : CATEGORIES[a.category].name);
  // In the card's order: the categories, then the digest.
  const order: readonly AlertTopic[] = [...CATEGORY_IDS, 'digest'];
  const sorted = [...changes].sort((x, y) => order.indexOf(x.category) - order.indexOf(y.category));
  const on = sorted.filter((a) => a.changed && a.on).map(name);
  const off = sorted.filter((a) => a.changed && !a.on).map(name);
  const parts = [on.length ? `turned on ${on.join(', ')}` : '', off.length ? `turned off ${off.join(', ')}` : ''];
  const said = parts.filter((p) => p !== '').join('; ');
  // As Teams gave it (activity.from.name), shown to the channel as the other directory names are.
  const person = shownUserName(who);
  const by = person ? `${person} saved` : 'Saved';
  return {
    wanted,
    title: 'Alert settings saved',
    text: resumed
      ? `${by} the alert settings of ${channel}: ${said ? `${said}; and` : 'the choices stay as they were, and'} ${RESUMED_WORDS}`
      : said
        ? `${by} the alert settings of ${channel}: ${said}.`
        : `${by} the alert settings of ${channel}; nothing changed.`,
  };
}

/** Whether stored settings are the ones a Save wrote (a later write leaves its words off). */
export function showsSave(
  stored: { readonly categories: readonly CategoryId[]; readonly digest: boolean },
  words: SaveWords,
): boolean {
  const same = (a: readonly CategoryId[], b: readonly CategoryId[]) =>
    a.length === b.length && a.every((id) => b.includes(id));
  return stored.digest === words.wanted.digest && same(stored.categories, words.wanted.categories);
}
