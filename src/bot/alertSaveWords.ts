// What one Save of the settings card changed, said on the card it leaves. A settings card does not
// change by itself when someone types `alerts on|off <category>` in the channel: a current card's
// Save changes only the toggles its presser switched (settingsChoices.ts), but one from a card
// posted before cards carried what they showed writes that card's old choices back. Either way its
// words say what it turned on and off, never re-enable a category without saying so. A setting a
// current card's Save left as stored though it differs from what that card showed (changed by
// another Save or a typed command meanwhile) is named too: the card it leaves shows it as stored,
// and its presser, who saw it otherwise and did not switch it, could take it for their own choice.

import { AlertTopic, CATEGORIES, CATEGORY_IDS, CategoryId } from '../alerts/categories';
import { SETTINGS_TOPICS, SettingsChoices } from '../alerts/settingsChoices';
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

const topicName = (topic: AlertTopic) => (topic === 'digest' ? 'Daily digest' : CATEGORIES[topic].name);

/** The words of a Save by `who` (a display name, when Teams gave one) that made `changes`;
 * `resumed`: it ended the channel's suspension; `meanwhile`: the settings it left as stored though
 * its card showed them otherwise (settingsChoices.ts changedMeanwhile), as they are now. */
export function saveWords(
  channel: string,
  wanted: SaveWords['wanted'],
  changes: readonly SubscriptionAudit[],
  who: string | undefined,
  how: { readonly resumed?: boolean; readonly meanwhile?: SettingsChoices } = {},
): SaveWords {
  const { resumed = false, meanwhile = {} } = how;
  const name = (a: SubscriptionAudit) => topicName(a.category);
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
  const text = resumed
    ? `${by} the alert settings of ${channel}: ${said ? `${said}; and` : 'the choices stay as they were, and'} ${RESUMED_WORDS}`
    : said
      ? `${by} the alert settings of ${channel}: ${said}.`
      : `${by} the alert settings of ${channel}; nothing changed.`;
  const others = meanwhileWords(meanwhile);
  return { wanted, title: 'Alert settings saved', text: others ? `${text} ${others}` : text };
}

/** The settings changed meanwhile, by their value now: each way a sentence, then how to change
 * them on the card these words are on (a current card, whose Save acts on what it shows). Empty
 * when there are none. */
function meanwhileWords(meanwhile: SettingsChoices): string {
  const named = SETTINGS_TOPICS.filter((topic) => meanwhile[topic] !== undefined);
  if (named.length === 0) return '';
  const them = named.length === 1 ? 'it' : 'them';
  const sentence = (on: boolean): string => {
    const names = named.filter((topic) => meanwhile[topic] === on).map(topicName);
    if (names.length === 0) return '';
    const one = names.length === 1;
    const list = one ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
    const [now, before] = on ? ['on', 'off'] : ['off', 'on'];
    const pronoun = one ? 'it' : 'them';
    return `Meanwhile ${list} ${one ? 'was' : 'were'} turned ${now} by another change; this Save, from a card that showed ${pronoun} ${before}, left ${pronoun} ${now}.`;
  };
  const sentences = [sentence(true), sentence(false)].filter((s) => s !== '');
  return `${sentences.join(' ')} To change ${them}, switch ${them} below and press Save.`;
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
