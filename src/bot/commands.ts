// The chat grammar of contract §3, as a pure function. One table drives parsing, the usage hints
// of error cards and the help card, so they cannot disagree.

import { OperationName, Target, TaskOutcome, isGuid } from '../domain/operations';

export type Command =
  { readonly kind: 'help' } | { readonly kind: 'signOut' } | { readonly kind: 'operation'; readonly target: Target };

export type ParseResult = Command | { readonly kind: 'bad'; readonly problem: string; readonly usage: string };

export interface GrammarRule {
  /** Keywords, lower case, e.g. ['cancel', 'run']. */
  readonly words: readonly string[];
  readonly operation: OperationName;
  /** Id placeholders in order; they map onto the catalog's idNames. */
  readonly ids: readonly string[];
  /** resume takes an explicit outcome; approve/reject imply one. */
  readonly outcome?: TaskOutcome | 'explicit';
  readonly description: string;
}

export const GRAMMAR: readonly GrammarRule[] = [
  {
    words: ['cancel', 'run'],
    operation: 'cancelWorkflowRun',
    ids: ['workflowId', 'runId'],
    description: 'Cancel a queued or in-progress Lifecycle Workflows run',
  },
  {
    words: ['cancel', 'role-request'],
    operation: 'cancelRoleRequest',
    ids: ['requestId'],
    description: 'Cancel a PIM Entra role assignment request',
  },
  {
    words: ['cancel', 'group-request'],
    operation: 'cancelGroupRequest',
    ids: ['requestId'],
    description: 'Cancel a PIM for Groups assignment request',
  },
  {
    words: ['cancel', 'access-request'],
    operation: 'cancelAccessPackageRequest',
    ids: ['requestId'],
    description: 'Cancel an access package assignment request',
  },
  {
    words: ['resume', 'task'],
    operation: 'resumeTask',
    ids: ['workflowId', 'taskId', 'taskProcessingResultId'],
    outcome: 'explicit',
    description: 'Resume a custom task extension as completed or failed',
  },
  {
    words: ['approve', 'task'],
    operation: 'resumeTask',
    ids: ['workflowId', 'taskId', 'taskProcessingResultId'],
    outcome: 'completed',
    description: 'Resume a custom task extension as completed',
  },
  {
    words: ['reject', 'task'],
    operation: 'resumeTask',
    ids: ['workflowId', 'taskId', 'taskProcessingResultId'],
    outcome: 'failed',
    description: 'Resume a custom task extension as failed',
  },
];

export const MAX_COMMAND_LENGTH = 1000;

export function usageOf(rule: GrammarRule): string {
  const ids = rule.ids.map((n) => `<${n}>`).join(' ');
  const tail = rule.outcome === 'explicit' ? ' completed|failed' : '';
  return `${rule.words.join(' ')} ${ids}${tail}`;
}

const ALL_USAGES = ['help', ...GRAMMAR.map(usageOf), 'sign out'].join('\n');

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Teams delivers HTML-ish text: mentions as <at>…</at>, entities, sometimes <p> wrappers. */
export function normalizeText(raw: string): string {
  return raw
    .replace(/<at>[\s\S]*?<\/at>/gi, ' ')
    .replace(/<[^>]{0,200}>/g, ' ')
    .replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (m, code: string) => {
      if (code[0] === '#') {
        const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
        return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : ' ';
      }
      return ENTITIES[code.toLowerCase()] ?? m;
    })
    .replace(/[\s\u200b\u00a0]+/g, ' ')
    .trim();
}

/**
 * Parses one chat message. `text` should already have the bot's own mention removed when the
 * channel tells us which entity it is; any remaining <at> tags are dropped here too.
 */
export function parseCommand(text: string | undefined | null): ParseResult {
  if (typeof text !== 'string' || text.length === 0) {
    return { kind: 'bad', problem: 'The message was empty.', usage: ALL_USAGES };
  }
  if (text.length > MAX_COMMAND_LENGTH * 4) {
    return { kind: 'bad', problem: `The message is too long for a command.`, usage: ALL_USAGES };
  }
  const normalized = normalizeText(text);
  if (normalized.length > MAX_COMMAND_LENGTH) {
    return { kind: 'bad', problem: `The message is too long for a command.`, usage: ALL_USAGES };
  }
  const words = normalized.split(' ').filter((w) => w.length > 0);
  const lower = words.map((w) => w.toLowerCase());
  const [first, second] = lower;
  if (first === undefined) return { kind: 'bad', problem: 'The message was empty.', usage: ALL_USAGES };

  if (lower.length === 1 && (first === 'help' || first === '?')) return { kind: 'help' };
  if (
    (lower.length === 2 && first === 'sign' && second === 'out') ||
    (lower.length === 1 && (first === 'signout' || first === 'logout'))
  ) {
    return { kind: 'signOut' };
  }

  const rule = GRAMMAR.find((r) => r.words.every((w, i) => lower[i] === w));
  if (!rule) {
    const sameVerb = GRAMMAR.filter((r) => r.words[0] === first);
    if (sameVerb.length > 0) {
      const kinds = sameVerb.map((r) => r.words[1]).join(', ');
      return {
        kind: 'bad',
        problem: `"${truncate(words.slice(0, 2).join(' '))}" is not a command. After "${first}" comes one of: ${kinds}.`,
        usage: sameVerb.map(usageOf).join('\n'),
      };
    }
    return {
      kind: 'bad',
      problem: `"${truncate(words[0] ?? '')}" is not a command I know. Type "help" to see every command.`,
      usage: ALL_USAGES,
    };
  }

  const args = words.slice(rule.words.length);
  const expected = rule.ids.length + (rule.outcome === 'explicit' ? 1 : 0);
  const usage = usageOf(rule);
  if (args.length !== expected) {
    return {
      kind: 'bad',
      problem: `"${rule.words.join(' ')}" takes ${describeArgs(rule)}; I found ${args.length} value${args.length === 1 ? '' : 's'}.`,
      usage,
    };
  }
  const ids: Record<string, string> = {};
  for (const [i, name] of rule.ids.entries()) {
    const value = args[i] ?? '';
    if (!isGuid(value)) {
      return {
        kind: 'bad',
        problem: `${name} must be a GUID like 00000000-0000-0000-0000-000000000000, not "${truncate(value)}".`,
        usage,
      };
    }
    ids[name] = value.toLowerCase();
  }
  let operationStatus: TaskOutcome | undefined;
  if (rule.outcome === 'explicit') {
    const word = (args[rule.ids.length] ?? '').toLowerCase();
    if (word !== 'completed' && word !== 'failed') {
      return {
        kind: 'bad',
        problem: `The last value must be "completed" or "failed", not "${truncate(args[rule.ids.length] ?? '')}".`,
        usage,
      };
    }
    operationStatus = word;
  } else if (rule.outcome) {
    operationStatus = rule.outcome;
  }
  const target: Target =
    operationStatus === undefined
      ? { operation: rule.operation, ids }
      : { operation: rule.operation, ids, operationStatus };
  return { kind: 'operation', target };
}

function describeArgs(rule: GrammarRule): string {
  const ids = rule.ids.length === 1 ? `one id (${rule.ids[0]})` : `${rule.ids.length} ids (${rule.ids.join(', ')})`;
  return rule.outcome === 'explicit' ? `${ids} and completed|failed` : ids;
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
