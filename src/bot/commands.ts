// The chat grammar of contract §3, as a pure function. Its rules are derived from the operation
// catalog (each entry's command, and each decision's own command), so parsing, the usage hints of
// error cards, the help card, the README command table and the manifest's command list cannot
// disagree with it or with each other.

import { characterCount } from '../domain/characters';
import {
  CATALOG,
  CommandWords,
  DecisionName,
  OPERATION_NAMES,
  OperationName,
  Target,
  decisionNames,
  isGuid,
} from '../domain/operations';
import { ALERTS_USAGE, AlertsCommand, filledAlerts, parseAlertsCommand } from './alertCommands';
import { CommandHead, NearHead, closestHeads } from './closestCommand';
import { filledUsage } from './filledUsage';
import { idProblem } from './idProblem';
import { justificationProblem } from './justification';
import { normalizeText } from './normalizeText';

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'signOut' }
  | { readonly kind: 'operation'; readonly target: Target }
  /** The lists of what waits for the user (my approvals) and what they asked for (my requests). */
  | { readonly kind: 'myApprovals' }
  | { readonly kind: 'myRequests' }
  | AlertsCommand;

/** A refusal: what is wrong, the usages to try, and a heading when the command was understood. */
export type BadCommand = {
  readonly kind: 'bad';
  readonly problem: string;
  readonly usage: string;
  readonly heading?: string;
};
export type ParseResult = Command | BadCommand;

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
  readonly justification?: { readonly required: boolean; readonly maxLength: number };
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
    description: 'Your own pending requests, each with Cancel',
    manifest: 'Your pending requests, each with Cancel',
  },
} as const;

const MAX_COMMAND_LENGTH = 1000;

function choices(rule: GrammarRule): readonly DecisionName[] | null {
  return typeof rule.decision === 'object' ? rule.decision.oneOf : null;
}

export function usageOf(rule: GrammarRule): string {
  const ids = rule.ids.map((n) => `<${n}>`).join(' ');
  const oneOf = choices(rule);
  const why = rule.justification ? (rule.justification.required ? ' <justification>' : ' [justification]') : '';
  return `${rule.words.join(' ')} ${ids}${oneOf ? ` ${oneOf.join('|')}` : ''}${why}`;
}

const ALL_USAGES = [
  FIXED_COMMANDS.help.usage,
  FIXED_COMMANDS.myApprovals.usage,
  FIXED_COMMANDS.myRequests.usage,
  ...GRAMMAR.map(usageOf),
  FIXED_COMMANDS.signOut.usage,
].join('\n');

/**
 * Parses one chat message. `text` should already have the bot's own mention removed when the
 * channel tells us which entity it is (normalizeText says what happens to other mentions).
 */
export function parseCommand(text: string | undefined | null, botMentioned = false): ParseResult {
  if (typeof text !== 'string' || text.length === 0) {
    return { kind: 'bad', problem: 'The message was empty.', usage: ALL_USAGES };
  }
  if (text.length > MAX_COMMAND_LENGTH * 4) {
    return { kind: 'bad', problem: `The message is too long for a command.`, usage: ALL_USAGES };
  }
  const normalized = normalizeText(text, botMentioned);
  // In characters, as the justification it may carry is limited (500 outside the BMP is 1000 units).
  if (characterCount(normalized) > MAX_COMMAND_LENGTH) {
    return { kind: 'bad', problem: `The message is too long for a command.`, usage: ALL_USAGES };
  }
  const words = normalized.split(' ').filter((w) => w.length > 0);
  const lower = words.map((w) => w.toLowerCase());
  const [first, second] = lower;
  if (first === undefined) return { kind: 'bad', problem: 'The message was empty.', usage: ALL_USAGES };

  // Contract §3 lists the commands exactly: "?" or "logout" get the closest usage (HEADS), as any
  // other word does.
  if (lower.length === 1 && first === 'help') return { kind: 'help' };
  if (lower.length === 2 && first === 'sign' && second === 'out') return { kind: 'signOut' };
  if ((lower.length === 2 && first === 'sign' && second === 'in') || (lower.length === 1 && first === 'signin')) {
    // Sign-in is never a command of its own: it happens when a command needs it.
    return {
      kind: 'bad',
      problem:
        'Sign-in is not a command: send the command you want, and Governance Bot asks you to sign in when it needs to.',
      usage: ALL_USAGES,
      heading: 'Sign-in needs no command',
    };
  }
  if (lower.length === 2 && first === 'my' && second === 'approvals') return { kind: 'myApprovals' };
  if (lower.length === 2 && first === 'my' && second === 'requests') return { kind: 'myRequests' };
  if (first === 'alerts') return parseAlertsCommand(words.slice(1));

  const rule = GRAMMAR.find((r) => r.words.every((w, i) => lower[i] === w));
  if (!rule) return notACommand(words, lower);

  const args = words.slice(rule.words.length);
  const oneOf = choices(rule);
  const expected = rule.ids.length + (oneOf ? 1 : 0);
  const usage = usageOf(rule);
  const heading = valuesHeading(rule.words.join(' '));
  const wrongCount = rule.justification ? args.length < expected : args.length !== expected;
  if (wrongCount) {
    return {
      kind: 'bad',
      problem: `"${rule.words.join(' ')}" takes ${describeArgs(rule)}; ${args.length === 0 ? 'nothing followed it' : `I found ${args.length} value${args.length === 1 ? '' : 's'}`}.`,
      usage,
      heading,
    };
  }
  const ids: Record<string, string> = {};
  const typedIds: Record<string, string> = {};
  for (const [i, name] of rule.ids.entries()) {
    const value = args[i] ?? '';
    if (!isGuid(value)) {
      return { kind: 'bad', problem: idProblem(name, value, truncate(value)), usage, heading };
    }
    ids[name] = value.toLowerCase();
    typedIds[name] = value;
  }
  let decision: DecisionName | undefined;
  if (oneOf) {
    const word = (args[rule.ids.length] ?? '').toLowerCase();
    decision = oneOf.find((d) => d === word);
    if (decision === undefined) {
      return {
        kind: 'bad',
        problem: `The last value must be ${oneOf.map((d) => `"${d}"`).join(' or ')}, not "${truncate(args[rule.ids.length] ?? '')}".`,
        usage,
        heading,
      };
    }
  } else if (typeof rule.decision === 'string') {
    decision = rule.decision;
  }
  // Every key and Graph's URL take the id lower-cased; the audit line and the answer name it as typed.
  const asTyped = Object.entries(typedIds).some(([n, v]) => ids[n] !== v) ? { typedIds } : {};
  const target: Target = { operation: rule.operation, ids, ...asTyped, ...(decision ? { decision } : {}) };
  if (!rule.justification) return { kind: 'operation', target };
  const justification = words.slice(rule.words.length + expected).join(' ');
  const problem = justificationProblem(justification, rule.justification);
  if (problem) return { kind: 'bad', problem, usage, heading };
  return { kind: 'operation', target: justification ? { ...target, justification } : target };
}

/** What other tools call these commands: not commands here, answered with the one meant. */
const TYPED_ELSEWHERE: Readonly<Record<string, readonly (readonly string[])[]>> = {
  help: [['?']],
  signOut: [['signout'], ['sign-out'], ['logout'], ['log-out'], ['log', 'out']],
};

function headOf(rule: GrammarRule): CommandHead {
  return { words: rule.words, usage: usageOf(rule), filled: (values) => filledUsage(rule, values) };
}

/** Every command's keywords and usage, for the closest one to a mistyped command. */
const HEADS: readonly CommandHead[] = [
  ...Object.entries(FIXED_COMMANDS).map(([name, c]) => ({
    words: c.usage.split(' '),
    usage: c.usage,
    alsoTypedAs: TYPED_ELSEWHERE[name] ?? [],
  })),
  // The channel's alerts commands, each usage's keywords being the words before its "<category>".
  ...ALERTS_USAGE.split('\n').map((usage) => {
    const words = usage.split(' ').filter((w) => !w.startsWith('<'));
    return { words, usage, filled: (values: readonly string[]) => filledAlerts(words, values) };
  }),
  ...GRAMMAR.map(headOf),
];

/** The answer to words that start no command: the usage of the command they are closest to. */
function notACommand(words: readonly string[], lower: readonly string[]): ParseResult {
  const first = lower[0] ?? '';
  const sameVerb = GRAMMAR.filter((r) => r.words[0] === first);
  if (sameVerb.length > 0) {
    // The verb is right; the kind after it is not (or missing): the kinds of that verb, or the
    // one it is a slip away from.
    const near = closestHeads(lower, sameVerb.map(headOf));
    if (near.length === 1 && lower.length > 1) return didYouMean(words, near);
    const typed = truncate(words.slice(0, 2).join(' '));
    const kinds = sameVerb.map((r) => r.words[1]).join(', ');
    return {
      kind: 'bad',
      problem: `"${typed}" is not a command. After "${first}" comes one of: ${kinds}.`,
      usage: sameVerb.map(usageOf).join('\n'),
    };
  }
  const near = closestHeads(lower, HEADS);
  if (near.length > 0) return didYouMean(words, near);
  return {
    kind: 'bad',
    problem: `"${truncate(words[0] ?? '')}" is not a command I know; "help" lists every command.`,
    usage: ALL_USAGES,
  };
}

/** The answer to `words` that the heads `near` (one or more, each as far) are a slip away from:
 * with one, the command as meant with the values typed after the slip, when they are its values. */
function didYouMean(words: readonly string[], near: readonly NearHead[]): ParseResult {
  const head = near.length === 1 ? near[0]! : null;
  const typed = truncate(words.slice(0, near[0]!.typedWords).join(' '));
  const meant = head ? `"${head.words.join(' ')}"` : 'one of these';
  if (head && typed.toLowerCase() === head.words.join(' ')) {
    return {
      kind: 'bad',
      problem: `"${typed}" takes nothing after it.`,
      usage: head.usage,
      heading: valuesHeading(head.words.join(' ')),
    };
  }
  const filled = head?.filled?.(words.slice(head.typedWords)) ?? null;
  return {
    kind: 'bad',
    problem: `"${typed}" is not a command. Did you mean ${meant}?`,
    usage: [...new Set([...(filled ? [filled] : []), ...near.map((h) => h.usage)])].join('\n'),
  };
}

/** The heading of a refusal of what follows a command's keywords: the command was understood. */
function valuesHeading(command: string): string {
  return `Check what follows "${command}"`;
}

function describeArgs(rule: GrammarRule): string {
  const ids = rule.ids.length === 1 ? `one id (${rule.ids[0]})` : `${rule.ids.length} ids (${rule.ids.join(', ')})`;
  const oneOf = choices(rule);
  const why = rule.justification ? `, then ${rule.justification.required ? 'a' : 'an optional'} justification` : '';
  return `${oneOf ? `${ids} and ${oneOf.join('|')}` : ids}${why}`;
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
