// One chat message read by the grammar of contract §3 (grammar.ts), as a pure function: a command,
// or a refusal with the closest usage (words that start no command: commandSlips.ts).

import { characterCount } from '../domain/characters';
import { DecisionName, Target, isGuid } from '../domain/operations';
import { AlertsCommand, parseAlertsCommand } from './alertCommands';
import { notACommand } from './commandSlips';
import { ALL_USAGES, BadCommand, GRAMMAR, choices, describeArgs, truncate, usageOf, valuesHeading } from './grammar';
import { idRefusal, invisibleHint, tooManyHint } from '../domain/idProblem';
import { justificationFrom } from './justification';
import { decodedText, invisibleSpaceBetween, normalizeText } from './normalizeText';

export { FIXED_COMMANDS, GRAMMAR, usageOf } from './grammar';
export type { BadCommand, GrammarRule } from './grammar';

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'signOut' }
  | { readonly kind: 'operation'; readonly target: Target }
  /** The lists of what waits for the user (my approvals) and what they asked for (my requests). */
  | { readonly kind: 'myApprovals' }
  | { readonly kind: 'myRequests' }
  | AlertsCommand;

export type ParseResult = Command | BadCommand;

const MAX_COMMAND_LENGTH = 1000;

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
  const decoded = decodedText(text, botMentioned);
  const normalized = normalizeText(text, botMentioned);
  // What cut a pasted id in two, named when no one could see it.
  const cutBy = (a: string, b: string): string | null => invisibleSpaceBetween(decoded, a, b);
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
      problem: `"${rule.words.join(' ')}" takes ${describeArgs(rule)}; ${args.length === 0 ? 'nothing followed it' : `I found ${args.length} value${args.length === 1 ? '' : 's'}`}.${tooManyHint(args, expected, truncate, cutBy)}`,
      usage,
      heading,
    };
  }
  const ids: Record<string, string> = {};
  const typedIds: Record<string, string> = {};
  for (const [i, name] of rule.ids.entries()) {
    const value = args[i] ?? '';
    if (!isGuid(value)) {
      return { kind: 'bad', ...idRefusal(name, value, truncate(value), args[i + 1], cutBy), usage, heading };
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
        problem: `The last value must be ${oneOf.map((d) => `"${d}"`).join(' or ')}, not "${truncate(args[rule.ids.length] ?? '')}".${invisibleHint(args[rule.ids.length] ?? '', 'it')}`,
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
  const given = justificationFrom(words.slice(rule.words.length + expected).join(' '), rule.justification);
  if ('problem' in given) return { kind: 'bad', problem: given.problem, usage, heading };
  const { justification } = given;
  return { kind: 'operation', target: justification ? { ...target, justification } : target };
}
