// Properties of the chat grammar (contract §3) over 10,000 generated messages each: random text,
// valid commands in every accepted spelling, and valid commands with one token spoiled. Whatever
// arrives, the parser answers (no exception), a refusal says what is wrong, and only GUIDs ever
// become an operation's ids, so nothing else can reach Microsoft Graph.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { RUNS, LOWER_GUID, almostGuid, anyCaseGuid, noisyText } from './arbitraries';
// The parser under test, named in this one place: a rename is a one-line change.
import { parseCommand as parse } from '../../src/bot/commands';
import { CATALOG, OPERATION_NAMES, OperationName } from '../../src/domain/operations';

const isOperationName = (name: string): name is OperationName => (OPERATION_NAMES as readonly string[]).includes(name);

type Verdict =
  | {
      readonly kind: 'operation';
      readonly operation: string;
      readonly ids: Record<string, string>;
      readonly status?: string;
    }
  | { readonly kind: 'refused'; readonly problem: unknown; readonly usage: unknown }
  | { readonly kind: 'other' };

/** The parser's answer in the terms these properties need. */
function verdict(text: string): Verdict {
  const r = parse(text);
  if (r.kind === 'operation') {
    const { operation, ids, decision } = r.target;
    return { kind: 'operation', operation, ids: { ...ids }, ...(decision ? { status: decision } : {}) };
  }
  if (r.kind === 'bad') return { kind: 'refused', problem: r.problem, usage: r.usage };
  return { kind: 'other' };
}

/** Contract §3: each command, the operation it names and its ids in order. */
const COMMANDS = [
  { words: ['cancel', 'run'], operation: 'cancelWorkflowRun', ids: ['workflowId', 'runId'] },
  { words: ['cancel', 'role-request'], operation: 'cancelRoleRequest', ids: ['requestId'] },
  { words: ['cancel', 'group-request'], operation: 'cancelGroupRequest', ids: ['requestId'] },
  { words: ['cancel', 'access-request'], operation: 'cancelAccessPackageRequest', ids: ['requestId'] },
  ...(['resume', 'approve', 'reject'] as const).map((verb) => ({
    words: [verb, 'task'],
    operation: 'resumeTask',
    ids: ['workflowId', 'taskId', 'taskProcessingResultId'],
    outcome: verb === 'resume' ? ('explicit' as const) : verb === 'approve' ? 'completed' : 'failed',
  })),
] as const;
type Spec = (typeof COMMANDS)[number];
const outcomeOf = (spec: Spec): string | undefined => ('outcome' in spec ? spec.outcome : undefined);

const KEYWORDS = [...new Set(COMMANDS.flatMap((c) => c.words)), 'help', 'sign', 'out', 'completed', 'failed'];

/** A valid command as tokens, with what it must parse to. */
const validCommand = fc
  .tuple(fc.constantFrom(...COMMANDS), fc.array(anyCaseGuid, { minLength: 3, maxLength: 3 }), fc.boolean())
  .map(([spec, guids, completed]) => {
    const ids = guids.slice(0, spec.ids.length);
    const outcome = outcomeOf(spec);
    const explicit = outcome === 'explicit' ? (completed ? 'completed' : 'failed') : undefined;
    return {
      spec,
      tokens: [...spec.words, ...ids, ...(explicit ? [explicit] : [])],
      expected: {
        kind: 'operation' as const,
        operation: spec.operation,
        ids: Object.fromEntries(spec.ids.map((n, i) => [n, ids[i]!.toLowerCase()])),
        ...(outcome === undefined ? {} : { status: explicit ?? outcome }),
      },
    };
  });

/** Every spelling the grammar promises to accept: any case, any white space, Teams markup around it. */
const spelled = (tokens: readonly string[]) =>
  fc
    .tuple(
      fc.array(fc.constantFrom(' ', '  ', '\t', '\n', '\u00a0', '&nbsp;', '\u200b', ' <br> '), {
        minLength: tokens.length,
        maxLength: tokens.length,
      }),
      fc.array(fc.boolean(), { minLength: tokens.length, maxLength: tokens.length }),
      fc.constantFrom('', '<at>Governance Bot</at> ', '<at>Governance Bot</at>&nbsp;', ' \n'),
      fc.constantFrom(['', ''], ['<p>', '</p>'], ['', ' '], ['<div>', '</div>\n']),
    )
    .map(([gaps, upper, mention, [open, close]]) =>
      (
        mention +
        open +
        tokens.map((t, i) => (upper[i] && !LOWER_GUID.test(t) ? t.toUpperCase() : t) + (gaps[i] ?? ' ')).join('') +
        close
      ).trim(),
    );

function assertRefusal(v: Verdict, input: string): asserts v is Extract<Verdict, { kind: 'refused' }> {
  assert.equal(v.kind, 'refused', `expected a refusal for ${JSON.stringify(input)}, got ${JSON.stringify(v)}`);
  assert.ok(typeof v.problem === 'string' && v.problem.trim().length > 0, 'a refusal names the problem');
  assert.ok(typeof v.usage === 'string' && v.usage.trim().length > 0, 'a refusal shows the usage');
}

function assertOnlyGuids(v: Verdict, input: string): void {
  if (v.kind !== 'operation') return;
  // Every operation the grammar can produce, the approvals too (random text reaches
  // "approve access-request <GUID>"): its id names come from its catalog entry.
  assert.ok(isOperationName(v.operation), `unknown operation ${v.operation}`);
  assert.deepEqual(Object.keys(v.ids).sort(), [...CATALOG[v.operation].idNames].sort(), `ids of ${v.operation}`);
  for (const [name, id] of Object.entries(v.ids)) {
    assert.match(id, LOWER_GUID, `${name} from ${JSON.stringify(input)}`);
  }
}

describe('property: the chat grammar', function () {
  this.timeout(60_000);

  it('answers any text without throwing; a refusal names the problem; only GUIDs become ids', () => {
    // Random text parses to an operation about once in 10,000 cases, which leaves "only GUIDs
    // become ids" all but unchecked: commands whose ids may each be almost a GUID (or any text)
    // reach that check on every case the parser takes.
    const nearCommand = fc
      .tuple(
        validCommand,
        fc.array(fc.option(fc.oneof(almostGuid, fc.string({ maxLength: 40 })), { freq: 2 }), {
          minLength: 3,
          maxLength: 3,
        }),
      )
      .chain(([{ spec, tokens }, swaps]) =>
        spelled(tokens.map((t, i) => (i >= spec.words.length ? (swaps[i - spec.words.length] ?? t) : t))),
      );
    fc.assert(
      fc.property(fc.oneof(noisyText(KEYWORDS), nearCommand), (text) => {
        const v = verdict(text);
        if (v.kind === 'refused') assertRefusal(v, text);
        assertOnlyGuids(v, text);
      }),
      RUNS,
    );
  });

  it('answers non-strings and huge input with a refusal', () => {
    const odd = fc.oneof(
      fc.constantFrom(undefined, null, ''),
      fc.string({ minLength: 1, maxLength: 8 }).map((s) => s.repeat(Math.ceil(5000 / s.length))),
      fc
        .string({ minLength: 1, maxLength: 8 })
        .map((s) => `cancel role-request ${s.repeat(Math.ceil(1200 / s.length))}`),
    );
    fc.assert(
      fc.property(odd, (text) => {
        const v = verdict(text as string);
        assertRefusal(v, String(text));
      }),
      RUNS,
    );
  });

  it('parses every valid command in any accepted spelling to its target, ids in lower case', () => {
    fc.assert(
      fc.property(
        validCommand.chain((c) => spelled(c.tokens).map((text) => ({ text, expected: c.expected }))),
        ({ text, expected }) => {
          assert.deepEqual(verdict(text), expected, JSON.stringify(text));
        },
      ),
      RUNS,
    );
  });

  it('refuses a valid command with one id spoiled, naming the id and quoting it, with no target', () => {
    fc.assert(
      fc.property(validCommand, fc.nat(), almostGuid, (c, at, spoiled) => {
        const which = at % c.spec.ids.length;
        const tokens = [...c.tokens];
        tokens[c.spec.words.length + which] = spoiled;
        const text = tokens.join(' ');
        const v = verdict(text);
        assertRefusal(v, text);
        const problem = v.problem as string;
        assert.ok(problem.includes(c.spec.ids[which]!), `"${problem}" names ${c.spec.ids[which]}`);
        assert.ok(problem.includes(spoiled.slice(0, 40)), `"${problem}" quotes ${JSON.stringify(spoiled)}`);
      }),
      RUNS,
    );
  });

  it('refuses a valid command with one word spoiled, missing or extra, quoting the word or counting values', () => {
    const spoil = fc.tuple(
      validCommand,
      fc.nat(),
      fc.constantFrom('typo', 'drop', 'extra', 'outcome'),
      fc.stringMatching(/^[a-z]{1,3}$/),
    );
    fc.assert(
      fc.property(spoil, ([c, at, how, junk]) => {
        const tokens: string[] = [...c.tokens];
        const nWords = c.spec.words.length;
        let mustMention: string;
        if (how === 'typo') {
          // A keyword with letters appended is never another keyword.
          const i = at % nWords;
          tokens[i] = `${tokens[i]}${junk}x`;
          mustMention = tokens[i]!;
        } else if (how === 'drop') {
          tokens.splice(nWords + (at % (tokens.length - nWords)), 1);
          // A command left with no value says so in words; otherwise the values are counted.
          mustMention = tokens.length === nWords ? 'nothing followed it' : `found ${tokens.length - nWords} value`;
        } else if (how === 'extra') {
          tokens.push(junk);
          mustMention = `found ${tokens.length - nWords} value`;
        } else if (outcomeOf(c.spec) === 'explicit') {
          tokens[tokens.length - 1] = `${junk}ed`;
          mustMention = `${junk}ed`;
        } else {
          return; // only `resume task` takes a spelled-out outcome
        }
        const text = tokens.join(' ');
        const v = verdict(text);
        assertRefusal(v, text);
        assert.ok((v.problem as string).includes(mustMention), `"${String(v.problem)}" mentions "${mustMention}"`);
      }),
      RUNS,
    );
  });
});
