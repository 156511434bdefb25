// The command list as people read it outside the chat: the README's command table and the Teams
// manifest's command menu. Both are generated from the grammar (itself derived from the operation
// catalog) by scripts/generate.js, and tests fail when the committed copies drift.

import { FIXED_COMMANDS, GRAMMAR, GrammarRule, usageOf } from './commands';

/** Teams app manifest limits for bots[].commandLists[].commands[] (schema v1.23). */
export const MANIFEST_TITLE_MAX = 32;
export const MANIFEST_DESCRIPTION_MAX = 128;

export interface ManifestCommand {
  readonly title: string;
  readonly description: string;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function manifestCommandOf(rule: GrammarRule): ManifestCommand {
  const usage = usageOf(rule);
  const long = `${usage}: ${lowerFirst(rule.description)}`;
  return {
    title: rule.words.join(' '),
    description: long.length <= MANIFEST_DESCRIPTION_MAX ? long : usage,
  };
}

/**
 * Teams shows at most 10 commands per command list (manifest schema v1.23, bots[].commandLists[]
 * .commands maxItems 10), and there are more. The menu offers the most useful 10, in this order:
 * the two lists (whose cards carry Approve, Deny and Cancel buttons for every item), approving
 * each kind of request, the custom task decisions and the workflow-run cancel that no list
 * offers, then help and sign out. Every other command still works when typed and is on the help
 * card and in the README.
 */
export const MANIFEST_MENU = [
  'help',
  'my approvals',
  'my requests',
  'approve role-request',
  'approve group-request',
  'approve access-request',
  'approve task',
  'reject task',
  'cancel run',
  'sign out',
] as const;

/**
 * A team's channel menu: `alerts` first, the one command that works only there (its settings card
 * turns each category on or off), then the personal menu's commands but `sign out`, which forgets a
 * person's sign-in everywhere and stays in the personal and group chat menus.
 */
export const MANIFEST_TEAM_MENU = ['alerts', ...MANIFEST_MENU.filter((title) => title !== 'sign out')] as const;

/** `alerts` as a menu offers it (the help card's ALERTS_HELP words; the settings card says the rest). */
const ALERTS_COMMAND: ManifestCommand = {
  title: 'alerts',
  description: "This channel's alert settings: what it announces, with a toggle per category",
};

/** Every command as the manifest would describe it, fixed ones included. */
export function allManifestCommands(): ManifestCommand[] {
  const fixed = (c: { usage: string; manifest: string }): ManifestCommand => ({
    title: c.usage,
    description: c.manifest,
  });
  return [
    fixed(FIXED_COMMANDS.help),
    fixed(FIXED_COMMANDS.myApprovals),
    fixed(FIXED_COMMANDS.myRequests),
    ...GRAMMAR.map(manifestCommandOf),
    fixed(FIXED_COMMANDS.signOut),
    ALERTS_COMMAND,
  ];
}

function menuOf(titles: readonly string[]): ManifestCommand[] {
  const all = allManifestCommands();
  return titles.map((title) => {
    const c = all.find((x) => x.title === title);
    if (!c) throw new Error(`the manifest menu names ${title}, which is no command`);
    return c;
  });
}

/** The personal and group chat command menu: the commands MANIFEST_MENU picks, in its order. */
export function manifestCommands(): ManifestCommand[] {
  return menuOf(MANIFEST_MENU);
}

export type ManifestScope = 'personal' | 'team' | 'groupChat';

/**
 * The manifest's command lists, one per scope ("A separate command list should be used for each
 * scope", schema v1.23 bots[].commandLists; at most 3): the team's with its own menu.
 * https://learn.microsoft.com/en-us/microsoft-365/extensibility/schema/root-bots-command-lists
 */
export function manifestCommandLists(): Array<{ scopes: ManifestScope[]; commands: ManifestCommand[] }> {
  return [
    { scopes: ['personal'], commands: manifestCommands() },
    { scopes: ['team'], commands: menuOf(MANIFEST_TEAM_MENU) },
    { scopes: ['groupChat'], commands: manifestCommands() },
  ];
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** The README's command table. */
export function commandTableMarkdown(): string {
  const rows = [
    [FIXED_COMMANDS.help.usage, 'a card with every command and an example'],
    [FIXED_COMMANDS.myApprovals.usage, lowerFirst(FIXED_COMMANDS.myApprovals.description)],
    [FIXED_COMMANDS.myRequests.usage, lowerFirst(FIXED_COMMANDS.myRequests.description)],
    ...GRAMMAR.map((rule) => [usageOf(rule), lowerFirst(rule.description)]),
    [FIXED_COMMANDS.signOut.usage, 'forget your tokens'],
  ].map(([usage, what]) => `| \`${cell(usage ?? '')}\` | ${cell(what ?? '')} |`);
  return ['| command | what it does |', '|---|---|', ...rows].join('\n');
}
