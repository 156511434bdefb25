// The answer to words that start no command (contract §3: "the closest valid usage, and no Graph
// call"): the command they are a slip away from (closestCommand.ts), with the values typed after
// the slip when they are its values (filledUsage.ts), or the usages of the verb typed.

import { ALERTS_USAGE, filledAlerts } from './alertCommands';
import { CommandHead, NearHead, closestHeads } from './closestCommand';
import { filledUsage } from './filledUsage';
import {
  ALL_USAGES,
  BadCommand,
  FIXED_COMMANDS,
  GRAMMAR,
  GrammarRule,
  truncate,
  usageOf,
  valuesHeading,
} from './grammar';

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
export function notACommand(words: readonly string[], lower: readonly string[]): BadCommand {
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
function didYouMean(words: readonly string[], near: readonly NearHead[]): BadCommand {
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
    ...(near.every((h) => h.words[0] === 'alerts') ? { channelOnly: true } : {}),
  };
}
