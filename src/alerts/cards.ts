// Binds the alert templates in cards/ (alert, alertReminder, alertDigest, alertSettings, welcome)
// the same way src/cards/render.ts binds the reply cards: one data type per template, person-made
// text bound as it is, any expression left unbound is a bug and throws. Also builds the welcome and
// settings cards, whose content is fixed by the categories.

import { AdaptiveCardAttachment, Fact, bindTemplate } from '../cards/render';
import { AlertTopic, CATEGORIES, CATEGORY_IDS, CategoryId } from './categories';
import { ChannelSuspension, suspensionNote } from './channelSuspension';
import { SETTINGS_TOPICS, SettingsChoices, allChoices, saveData } from './settingsChoices';

export type CardStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';

/** A button on an alert: what the existing governance.act handler receives as `data`. */
export interface AlertButton {
  readonly title: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface AlertCardData {
  alert: {
    category: string;
    title: string;
    text: string;
    facts: Fact[];
    /** Empty for no status banner. */
    status: string;
    statusStyle: CardStyle;
    footer: string;
    actions: AlertButton[];
  };
  alertReminder: {
    title: string;
    expires: string;
    text: string;
    facts: Fact[];
    footer: string;
    actions: AlertButton[];
  };
  alertDigest: {
    title: string;
    intro: string;
    rows: Array<{ category: string; counts: string }>;
    /** Empty (and so not shown) for a channel following no category, as is nothingWaiting. */
    waitingTitle: string;
    nothingWaiting: string;
    waiting: Array<{ since: string; title: string }>;
    footer: string;
  };
  alertSettings: {
    title: string;
    text: string;
    /** Empty unless Teams refused to post in the channel (channelSuspension.ts). */
    suspended: string;
    toggles: Array<{ id: string; title: string; value: 'true' | 'false' }>;
    note: string;
    saveTitle: string;
    /** The Save button's data (and its Action.Submit fallback's): its kind, and what the card shows. */
    save: Record<string, unknown>;
  };
  welcome: {
    title: string;
    text: string;
    categories: Array<{ name: string; description: string }>;
    commandsTitle: string;
    commands: Array<{ usage: string; description: string }>;
    note: string;
  };
}

export type AlertCardName = keyof AlertCardData;

export function renderAlertCard<N extends AlertCardName>(name: N, data: AlertCardData[N]): AdaptiveCardAttachment {
  return bindTemplate(name, data);
}

/** `s` on one line (each run of white space, a line break or a tab from a title given from
 * outside, as one space) cut to at most `max` UTF-16 units for a card's summary (the line Teams
 * shows in the activity feed), never between the two halves of a character outside the BMP (an
 * emoji), which would leave text that is not valid Unicode. */
export function summaryLine(s: string, max = 120): string {
  const line = s.replace(/\s+/g, ' ');
  if (line.length <= max) return line;
  const cut = line.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/** The input id of the digest toggle on the settings card (category toggles use the category id). */
const DIGEST_INPUT = 'digest' satisfies AlertTopic;
/** The Action.Execute verb of the settings card's Save button. */
export const SETTINGS_VERB = 'alerts.save';
/** The settings card's Save button data (alertSettings.json), which its Action.Submit fallback
 * sends back with the toggles merged in. */
const SETTINGS_KIND = 'alerts.settings';

/** Is this submitted value the settings card's Save (the Action.Submit fallback)? */
export function isSettingsSubmit(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === SETTINGS_KIND;
}

/** What a settings card shows: each toggle it shows, with its value (in the card's order), what
 * its Save is to tell the person's choices apart from (settingsChoices.ts), and why the channel
 * hears nothing, when its subscription is suspended. */
export interface SettingsView {
  readonly toggles: SettingsChoices;
  readonly shown: SettingsChoices;
  readonly suspended?: ChannelSuspension;
}

/** The settings card for a channel, showing its current choices (and why it hears nothing, when
 * its subscription is suspended); `words` replace its title and text. `adminGroup`: an Entra group
 * (ALERTS_ADMIN_GROUP_ID) may save besides the team's owners; without one the card names none. */
export function settingsCard(
  channelName: string | null,
  current: {
    readonly categories: readonly CategoryId[];
    readonly digest: boolean;
    readonly suspended?: ChannelSuspension;
  },
  words?: { readonly title: string; readonly text: string },
  adminGroup = true,
): AdaptiveCardAttachment {
  const all = allChoices(current);
  const suspended = current.suspended ? { suspended: current.suspended } : {};
  return settingsViewCard(channelName, { toggles: all, shown: all, ...suspended }, words, adminGroup);
}

/** The settings card showing `view` (a Save that saved nothing says so on the card, with the
 * person's choices kept for the next press). */
export function settingsViewCard(
  channelName: string | null,
  view: SettingsView,
  words?: { readonly title: string; readonly text: string },
  adminGroup = true,
): AdaptiveCardAttachment {
  const where = channelName ? `#${channelName}` : 'this channel';
  const title = (topic: AlertTopic) => (topic === DIGEST_INPUT ? 'Daily digest' : CATEGORIES[topic].name);
  return renderAlertCard('alertSettings', {
    title: words?.title ?? 'Alert settings',
    text: words?.text ?? `Choose what Governance Bot announces in ${where}.`,
    suspended: view.suspended ? suspensionNote(view.suspended) : '',
    toggles: SETTINGS_TOPICS.filter((topic) => view.toggles[topic] !== undefined).map((topic) => ({
      id: topic,
      title: title(topic),
      value: view.toggles[topic] ? ('true' as const) : ('false' as const),
    })),
    note: adminGroup
      ? "Only the team's owners (or members of the group your administrator chose) can save changes."
      : "Only the team's owners can save changes.",
    saveTitle: 'Save',
    save: { kind: SETTINGS_KIND, ...saveData(view.shown) },
  });
}

/** What the bot says in the channel where it was added to a team. */
export function welcomeCard(teamName: string | null): AdaptiveCardAttachment {
  return renderAlertCard('welcome', {
    title: `Governance Bot is in ${teamName ? `the team ${teamName}` : 'this team'}`,
    text: 'It can announce identity governance activity in any channel of this team. Each channel chooses what it hears:',
    categories: CATEGORY_IDS.map((id) => ({ name: CATEGORIES[id].name, description: CATEGORIES[id].description })),
    commandsTitle: 'Change it with the settings card below, or @mention the bot:',
    commands: [
      { usage: 'alerts', description: "shows this channel's alert settings" },
      { usage: 'alerts on <category>', description: 'announces a category here, e.g. alerts on role-requests' },
      { usage: 'alerts off <category>', description: 'stops announcing it here' },
    ],
    note: 'Buttons on alerts act as whoever clicks them, with their own permissions. Each channel chooses whether it also gets a daily digest (Daily digest on its settings card).',
  });
}
