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

/** The manifest's command menu: help, every grammar rule, sign out. */
export function manifestCommands(): ManifestCommand[] {
  return [
    { title: FIXED_COMMANDS.help.usage, description: FIXED_COMMANDS.help.manifest },
    ...GRAMMAR.map(manifestCommandOf),
    { title: FIXED_COMMANDS.signOut.usage, description: FIXED_COMMANDS.signOut.manifest },
  ];
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** The README's command table. */
export function commandTableMarkdown(): string {
  const rows = [
    [FIXED_COMMANDS.help.usage, 'a card with every command and an example'],
    ...GRAMMAR.map((rule) => [usageOf(rule), lowerFirst(rule.description)]),
    [FIXED_COMMANDS.signOut.usage, 'forget your tokens'],
  ].map(([usage, what]) => `| \`${cell(usage ?? '')}\` | ${cell(what ?? '')} |`);
  return ['| command | what it does |', '|---|---|', ...rows].join('\n');
}
