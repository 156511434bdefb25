// The chat grammar of contract §3: its rules and their usages. The rules are derived from the
// operation catalog (each entry's command, and each decision's own command), so parsing
// (commands.ts), the usage hints of error cards, the help card, the README command table and the
// manifest's command list cannot disagree with it or with each other.

import {
  CATALOG,
  CommandWords,
  DecisionName,
  JustificationRule,
  OPERATION_NAMES,
  OperationName,
  decisionNames,
} from '../domain/operations';

/** A refusal: what is wrong, the usages to try, and a heading when the command was understood. */
export type BadCommand = {
  readonly kind: 'bad';
  readonly problem: string;
  /** The problem in fewer words, for the one-line summary, when the problem is long. */
  readonly brief?: string;
  /** The command offered works in a team channel only (the channel alerts commands). */
  readonly channelOnly?: boolean;
  readonly usage: string;
  readonly heading?: string;
};

export interface GrammarRule {
  /** Keywords, lower case, e.g. ['cancel', 'run']. */
  readonly words: readonly string[];
  readonly operation: OperationName;
  /** Id placeholders in order: the catalog entry's idNames. */
  readonly ids: readonly string[];
  /** A decision this command implies, or the decisions it takes as its last value. */
  readonly decision?: DecisionName | { readonly oneOf: readonly DecisionName[] };
  readonly description: string;
  /** Free text after the ids: the decider's justification (required for a deny). */
  readonly justification?: JustificationRule;
}

function rulesOf(name: OperationName): GrammarRule[] {
  const spec = CATALOG[name];
  const rule = (c: CommandWords, decision?: GrammarRule['decision']): GrammarRule => ({
    words: c.words,
    operation: name,
    ids: spec.idNames,
    description: c.description,
    ...(decision !== undefined ? { decision } : {}),
  });
  const named = decisionNames(spec);
  const rules: GrammarRule[] = [];
  if (spec.command) rules.push(rule(spec.command, named ? { oneOf: named } : undefined));
  for (const d of spec.decisions) {
    if (d.command) {
      const r = rule(d.command, d.name ?? undefined);
      rules.push(d.justification ? { ...r, justification: d.justification } : r);
    }
  }
  return rules;
}

export const GRAMMAR: readonly GrammarRule[] = OPERATION_NAMES.flatMap(rulesOf);

/** The commands that name no operation, with the wording the help card and the manifest show. */
export const FIXED_COMMANDS = {
  help: { usage: 'help', description: 'Show this card', manifest: 'List every command with an example' },
  signOut: { usage: 'sign out', description: 'Forget your sign-in', manifest: 'Forget your sign-in' },
  myApprovals: {
    usage: 'my approvals',
    description: 'Requests waiting for your decision: PIM roles, PIM for Groups and access packages',
    manifest: 'Requests waiting for your approval, with Approve and Deny',
  },
  myRequests: {
    usage: 'my requests',
    description: 'Your own pending requests, with Cancel on those Graph lets you cancel',
    manifest: 'Your pending requests, with Cancel where Graph lets you cancel',
  },
} as const;

export function choices(rule: GrammarRule): readonly DecisionName[] | null {
  return typeof rule.decision === 'object' ? rule.decision.oneOf : null;
}

export function usageOf(rule: GrammarRule): string {
  const ids = rule.ids.map((n) => `<${n}>`).join(' ');
  const oneOf = choices(rule);
  const why = rule.justification ? (rule.justification.required ? ' <justification>' : ' [justification]') : '';
  return `${rule.words.join(' ')} ${ids}${oneOf ? ` ${oneOf.join('|')}` : ''}${why}`;
}

/** Every usage, for a message that starts no command at all. */
export const ALL_USAGES = [
  FIXED_COMMANDS.help.usage,
  FIXED_COMMANDS.myApprovals.usage,
  FIXED_COMMANDS.myRequests.usage,
  ...GRAMMAR.map(usageOf),
  FIXED_COMMANDS.signOut.usage,
].join('\n');

/** The heading of a refusal of what follows a command's keywords: the command was understood. */
export function valuesHeading(command: string): string {
  return `Check what follows "${command}"`;
}

export function describeArgs(rule: GrammarRule): string {
  const ids = rule.ids.length === 1 ? `one id (${rule.ids[0]})` : `${rule.ids.length} ids (${rule.ids.join(', ')})`;
  const oneOf = choices(rule);
  const why = rule.justification ? `, then ${rule.justification.required ? 'a' : 'an optional'} justification` : '';
  return `${oneOf ? `${ids} and ${oneOf.join('|')}` : ids}${why}`;
}

/** The first 40 units of `s`, never ending on the first half of a surrogate pair (an emoji's). */
export function truncate(s: string): string {
  return s.length <= 40 ? s : `${firstUnits(s, 40)}…`;
}

/** The first `max` units of `s`, one fewer when the last would be the first half of a surrogate
 * pair (an emoji's): half a character shows as a broken one. */
export function firstUnits(s: string, max: number): string {
  if (s.length <= max) return s;
  return s.slice(0, /[\ud800-\udbff]/.test(s.charAt(max - 1)) ? max - 1 : max);
}
