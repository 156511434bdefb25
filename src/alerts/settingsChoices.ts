// What a settings card's Save asks to change. Teams sends every Input.Toggle's value, valueOn or
// valueOff, with the Save button's data, switched or not
// (https://learn.microsoft.com/en-us/adaptive-cards/schema-explorer/input-toggle), so the toggles
// alone cannot tell a person's choice from a value left as the card showed it: of two cards shown
// before either was saved, the later Save wrote back what its card showed, undoing the other. So the
// Save button's data carries the values its card showed (`shown`), and a Save changes only the
// toggles whose value differs from them; a toggle left as shown keeps the stored setting, whoever
// changed it since. A card posted before cards carried them (no `shown`) changes every toggle it
// carries, as it always did.

import { AlertTopic, CATEGORY_IDS, CategoryId } from './categories';

/** What a Save chose, or what a card showed: a value per toggle, by topic. A toggle a Save does
 * not carry was not on its card (one made before that category's toggle existed) and is absent. */
export type SettingsChoices = Partial<Record<AlertTopic, boolean>>;

/** Every toggle of a settings card, in the card's order: the categories, then the digest. */
export const SETTINGS_TOPICS: readonly AlertTopic[] = [...CATEGORY_IDS, 'digest'];

/** The name of the Save button's data field holding what its card showed. */
const SHOWN = 'shown';

/** Each topic's value in `v`, on or off, as Teams sends a toggle's ('true' or 'false') or as the
 * bot's own data holds it (a boolean); anything else is absent. */
function topicValues(v: Record<string, unknown>): SettingsChoices {
  const values: SettingsChoices = {};
  for (const topic of SETTINGS_TOPICS) {
    const sent = Object.hasOwn(v, topic) ? v[topic] : undefined;
    if (typeof sent === 'string' || typeof sent === 'boolean') values[topic] = sent === 'true' || sent === true;
  }
  return values;
}

const asRecord = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** The toggles a Save click on the settings card carries; unknown inputs are ignored. */
export function carriedChoices(value: unknown): SettingsChoices {
  return topicValues(asRecord(value));
}

/** The values the Save's card showed, from its button's data; null for a card posted before
 * cards carried them. */
export function shownChoices(value: unknown): SettingsChoices | null {
  const v = asRecord(value);
  if (!Object.hasOwn(v, SHOWN) || typeof v[SHOWN] !== 'object' || v[SHOWN] === null) return null;
  return topicValues(asRecord(v[SHOWN]));
}

/** The Save button's data: what its card shows, for the Save to tell the person's choices apart. */
export function saveData(shown: SettingsChoices): { [SHOWN]: SettingsChoices } {
  return { [SHOWN]: shown };
}

/** What a Save changes: each toggle it carries whose value differs from what its card showed (a
 * toggle the card showed no value of, as on an older card, as carried). */
export function changedChoices(carried: SettingsChoices, shown: SettingsChoices | null): SettingsChoices {
  const changed: SettingsChoices = {};
  for (const topic of SETTINGS_TOPICS) {
    const value = carried[topic];
    if (value !== undefined && value !== shown?.[topic]) changed[topic] = value;
  }
  return changed;
}

/** The settings a Save left as stored though they differ from what its card showed: changed by
 * another Save or a typed `alerts on|off` after that card was shown, each with its value as the
 * Save left it (`left`). A toggle the Save changed (`changed`) is as its presser chose, and one its
 * card did not show was not seen: neither is named. None for a card posted before cards carried
 * what they showed (its Save changed every toggle it carries). */
export function changedMeanwhile(
  shown: SettingsChoices | null,
  changed: SettingsChoices,
  left: { readonly categories: readonly CategoryId[]; readonly digest: boolean },
): SettingsChoices {
  const meanwhile: SettingsChoices = {};
  if (!shown) return meanwhile;
  const now = allChoices(left);
  for (const topic of SETTINGS_TOPICS) {
    const seen = shown[topic];
    if (seen !== undefined && changed[topic] === undefined && now[topic] !== seen) meanwhile[topic] = now[topic];
  }
  return meanwhile;
}

/** Every toggle of `settings`, as a settings card shows them. */
export function allChoices(settings: {
  readonly categories: readonly CategoryId[];
  readonly digest: boolean;
}): Record<AlertTopic, boolean> {
  const all = { digest: settings.digest } as Record<AlertTopic, boolean>;
  for (const id of CATEGORY_IDS) all[id] = settings.categories.includes(id);
  return all;
}

/** The "not saved" card of a Save not checked in time: the toggles as the Save carried them, and
 * as `shown` what its own card showed, so that pressing Save there changes what this press would
 * have. A toggle the Save did not carry (its card had none) shows the stored setting, and counts
 * as shown so, when `stored` was read (null: the channel has none); otherwise the card leaves it
 * out rather than show a value nobody knows (shown off, a press on it saved it off), and a Save
 * from the card leaves it as stored. */
export function notSavedView(
  carried: SettingsChoices,
  shown: SettingsChoices | null,
  stored: { readonly categories: readonly CategoryId[]; readonly digest: boolean } | null | undefined,
): { toggles: SettingsChoices; shown: SettingsChoices } {
  const toggles: SettingsChoices = { ...carried };
  const baseline: SettingsChoices = { ...shown };
  const known = stored === undefined ? null : allChoices(stored ?? { categories: [], digest: false });
  if (known)
    for (const topic of SETTINGS_TOPICS) {
      if (toggles[topic] !== undefined) continue;
      toggles[topic] = known[topic];
      baseline[topic] = known[topic];
    }
  return { toggles, shown: baseline };
}
