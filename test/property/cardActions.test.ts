// Properties of card-button data over 10,000 generated values each: anything a click may carry
// (any JSON, any JavaScript value), valid button data, and valid data with one part spoiled, for
// every operation a button can name: the cancels, the resume and the approvals (approve, or deny
// with the justification typed in the card). Button data is validated like a typed command: no
// exception escapes, a refusal says what is wrong, and only GUIDs ever become an operation's ids.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { RUNS, LOWER_GUID, almostGuid, anyCaseGuid, anyValue, notGuid } from './arbitraries';
// The parser under test, named in this one place: a rename is a one-line change.
import { parseButtonData as parse } from '../../src/bot/cardActions';

type Verdict =
  | {
      readonly kind: 'operation';
      readonly operation: string;
      readonly ids: Record<string, string>;
      readonly status?: string;
      readonly justification?: string;
      readonly afterStage?: string;
    }
  | { readonly kind: 'refused'; readonly problem: unknown };

/** The parser's answer in the terms these properties need. */
function verdict(data: unknown): Verdict {
  const r = parse(data);
  if (!r.ok) return { kind: 'refused', problem: r.problem };
  const { operation, ids, decision, justification, afterStage } = r.target;
  return {
    kind: 'operation',
    operation,
    ids: { ...ids },
    ...(decision ? { status: decision } : {}),
    ...(justification !== undefined ? { justification } : {}),
    ...(afterStage !== undefined ? { afterStage } : {}),
  };
}

/** Each operation a button can name and its ids (contract §4). */
const OPERATIONS = {
  cancelWorkflowRun: ['workflowId', 'runId'],
  cancelRoleRequest: ['requestId'],
  cancelGroupRequest: ['requestId'],
  cancelAccessPackageRequest: ['requestId'],
  resumeTask: ['workflowId', 'taskId', 'taskProcessingResultId'],
  decideRoleApproval: ['requestId'],
  decideGroupApproval: ['requestId'],
  decideAccessPackageApproval: ['requestId'],
} as const;
type Operation = keyof typeof OPERATIONS;
const NAMES = Object.keys(OPERATIONS) as Operation[];

/** The decisions of the operations that take one; an approval's deny needs a justification. */
const DECISIONS: Partial<Record<Operation, readonly string[]>> = {
  resumeTask: ['completed', 'failed'],
  decideRoleApproval: ['approve', 'deny'],
  decideGroupApproval: ['approve', 'deny'],
  decideAccessPackageApproval: ['approve', 'deny'],
};
const takesDecision = (op: Operation) => DECISIONS[op] !== undefined;
const isApproval = (op: Operation) => op.startsWith('decide');
/** Longest justification Microsoft Graph is sent (the Entra admin center's limit). */
const JUSTIFICATION_MAX = 500;
/** The card input an approval's justification is typed in: named after the request id. */
const inputOf = (requestId: string) => `justification_${requestId.toLowerCase()}`;

/** Text a person may type as a justification, up to the limit once trimmed, possibly padded. */
const typedJustification = fc
  .tuple(
    fc.oneof(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
      fc.integer({ min: 1, max: JUSTIFICATION_MAX }).map((n) => 'y'.repeat(n)),
    ),
    fc.constantFrom('', ' ', '\n', '  \t'),
  )
  .map(([text, pad]) => ({ kept: text.trim(), pad }))
  .filter(({ kept }) => kept.length > 0 && kept.length <= JUSTIFICATION_MAX)
  .map(({ kept, pad }) => ({ typed: `${pad}${kept}${pad}`, kept }));

/** Button data as the bot puts it on its cards, and the target it must parse to. */
const validButton = fc
  .tuple(
    fc.constantFrom(...NAMES),
    fc.array(anyCaseGuid, { minLength: 3, maxLength: 3 }),
    fc.nat(),
    fc.boolean(),
    fc.option(typedJustification, { nil: undefined }),
    fc.option(anyCaseGuid, { nil: undefined }),
  )
  .map(([operation, guids, pick, legacyKey, typed, stage]) => {
    const names = OPERATIONS[operation];
    const ids = Object.fromEntries(names.map((n, i) => [n, guids[i]!]));
    const choices = DECISIONS[operation];
    const status = choices ? choices[pick % choices.length] : undefined;
    // Cards posted before decisions were catalog data carry a resume's decision as operationStatus.
    const key = operation === 'resumeTask' && legacyKey ? 'operationStatus' : 'decision';
    // A deny always carries what the approver typed; an approve may.
    const justification = !isApproval(operation)
      ? undefined
      : status === 'deny'
        ? (typed ?? { typed: 'Not needed', kept: 'Not needed' })
        : typed;
    // An approval's card names the stage it already showed decided (a progressed card).
    const afterStage = isApproval(operation) ? stage : undefined;
    const data: Record<string, unknown> = {
      verb: 'governance.act',
      operation,
      ids,
      ...(status ? { [key]: status } : {}),
      ...(justification ? { [inputOf(guids[0]!)]: justification.typed } : {}),
      ...(afterStage ? { afterStage } : {}),
    };
    return {
      operation,
      data,
      expected: {
        kind: 'operation' as const,
        operation,
        ids: Object.fromEntries(names.map((n, i) => [n, guids[i]!.toLowerCase()])),
        ...(status ? { status } : {}),
        ...(justification ? { justification: justification.kept } : {}),
        ...(afterStage ? { afterStage: afterStage.toLowerCase() } : {}),
      },
    };
  });

function assertRefusal(v: Verdict, input: unknown): asserts v is Extract<Verdict, { kind: 'refused' }> {
  assert.equal(v.kind, 'refused', `expected a refusal for ${safeJson(input)}, got ${JSON.stringify(v)}`);
  assert.ok(typeof v.problem === 'string' && v.problem.trim().length > 0, 'a refusal names the problem');
}

function assertOnlyGuids(v: Verdict, input: unknown): void {
  if (v.kind !== 'operation') return;
  assert.ok(Object.hasOwn(OPERATIONS, v.operation), `unknown operation ${v.operation}`);
  assert.deepEqual(Object.keys(v.ids).sort(), [...OPERATIONS[v.operation as Operation]].sort());
  for (const [name, id] of Object.entries(v.ids)) assert.match(id, LOWER_GUID, `${name} from ${safeJson(input)}`);
  const op = v.operation as Operation;
  if (takesDecision(op)) assert.ok(DECISIONS[op]!.includes(v.status ?? ''), `decision ${String(v.status)}`);
  else assert.equal(v.status, undefined);
  if (!isApproval(op)) assert.equal(v.justification, undefined);
  if (v.justification !== undefined) {
    assert.equal(v.justification, v.justification.trim());
    assert.ok(v.justification.length > 0 && v.justification.length <= JUSTIFICATION_MAX);
  }
  if (v.status === 'deny') assert.ok(v.justification, 'a deny carries a justification');
  // The stage a card showed decided: only on an approval, only a GUID, never among the ids (the
  // write sends a stage id it is given without reading: graphGateway.ts).
  if (v.afterStage !== undefined) {
    assert.ok(isApproval(op), `afterStage on ${op}`);
    assert.match(v.afterStage, LOWER_GUID, `afterStage from ${safeJson(input)}`);
  }
}

const GUID_ANY_CASE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether button data is acceptable, decided from the rules above (not from the parser). */
function acceptable(data: Record<string, unknown>): boolean {
  const op = data.operation;
  if (typeof op !== 'string' || !Object.hasOwn(OPERATIONS, op)) return false;
  const ids = data.ids;
  if (ids === null || typeof ids !== 'object') return false;
  const names = OPERATIONS[op as Operation];
  const idOf = (n: string): unknown => (ids as Record<string, unknown>)[n];
  if (!names.every((n) => typeof idOf(n) === 'string' && GUID_ANY_CASE.test(idOf(n) as string))) return false;
  const after = data.afterStage;
  if (after !== undefined && !(isApproval(op as Operation) && typeof after === 'string' && GUID_ANY_CASE.test(after)))
    return false;
  const raw = data.decision !== undefined ? data.decision : data.operationStatus;
  const choices = DECISIONS[op as Operation];
  if (!choices) return raw === undefined;
  if (typeof raw !== 'string' || !choices.includes(raw)) return false;
  if (!isApproval(op as Operation)) return true;
  const typed = data[inputOf(idOf('requestId') as string)];
  const kept = typeof typed === 'string' ? typed.trim() : '';
  return !(raw === 'deny' && kept === '') && kept.length <= JUSTIFICATION_MAX;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)) ?? String(v);
  } catch {
    return String(v);
  }
}

describe('property: card-button data', function () {
  this.timeout(60_000);

  it('answers any value without throwing; a refusal names the problem; only GUIDs become ids', () => {
    const shaped = fc.record(
      {
        verb: fc.oneof(fc.constant('governance.act'), anyValue),
        operation: fc.oneof(fc.constantFrom(...NAMES, '__proto__', 'constructor', 'toString'), anyValue),
        ids: fc.oneof(
          fc.dictionary(
            fc.constantFrom('workflowId', 'runId', 'requestId', 'taskId', 'taskProcessingResultId', '__proto__'),
            fc.oneof(anyCaseGuid, notGuid, anyValue),
          ),
          anyValue,
        ),
        operationStatus: fc.oneof(fc.constantFrom('completed', 'failed', 'Completed', ''), anyValue),
        decision: fc.oneof(fc.constantFrom('approve', 'deny', 'completed', 'failed', 'Approve', ''), anyValue),
        afterStage: fc.oneof(anyCaseGuid, almostGuid, notGuid, anyValue),
      },
      { requiredKeys: [] },
    );
    // Random values make an operation about 4 times in 10,000, never an approval with a
    // justification or a stage: the bot's own button data, with any of its parts spoiled, reaches
    // every check of assertOnlyGuids on every case the parser takes.
    const spoiler = fc.oneof(
      almostGuid,
      notGuid,
      anyValue,
      fc.constantFrom('', '   ', 'approve', 'deny', 'Deny'),
      fc.integer({ min: JUSTIFICATION_MAX - 2, max: JUSTIFICATION_MAX + 40 }).map((n) => ` ${'z'.repeat(n)} `),
    );
    const nearButton = fc
      .tuple(
        validButton,
        fc.array(fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: spoiler }), {
          minLength: 6,
          maxLength: 6,
        }),
      )
      .map(([b, swaps]) => {
        const data: Record<string, unknown> = { ...b.data, ids: { ...(b.data.ids as Record<string, unknown>) } };
        const ids = data.ids as Record<string, unknown>;
        const key = inputOf(Object.values(ids)[0] as string);
        const parts: Array<(v: unknown) => void> = [
          ...Object.keys(ids).map((n) => (v: unknown) => (ids[n] = v)),
          (v) => (data[data.operationStatus !== undefined ? 'operationStatus' : 'decision'] = v),
          (v) => (data[key] = v),
          (v) => (data.afterStage = v),
        ];
        swaps.forEach((v, i) => {
          if (v !== null && i < parts.length) parts[i]!(v);
        });
        return data;
      });
    fc.assert(
      fc.property(fc.oneof(anyValue, shaped, nearButton), (data) => {
        const v = verdict(data);
        if (v.kind === 'refused') assertRefusal(v, data);
        assertOnlyGuids(v, data);
      }),
      RUNS,
    );
  });

  it('parses the data the bot puts on its buttons, also after a JSON round trip, ids in lower case', () => {
    fc.assert(
      fc.property(validButton, fc.boolean(), (b, viaJson) => {
        const data: unknown = viaJson ? JSON.parse(JSON.stringify(b.data)) : b.data;
        assert.deepEqual(verdict(data), b.expected);
      }),
      RUNS,
    );
  });

  it('refuses valid data with one id spoiled or missing, naming that id, with no target', () => {
    fc.assert(
      fc.property(validButton, fc.nat(), fc.oneof(almostGuid, notGuid, anyValue), fc.boolean(), (b, at, bad, drop) => {
        const names = OPERATIONS[b.operation];
        const name = names[at % names.length]!;
        if (!drop && typeof bad === 'string' && LOWER_GUID.test(bad.toLowerCase())) return; // still a GUID
        const ids = { ...(b.data.ids as Record<string, unknown>) };
        if (drop) delete ids[name];
        else ids[name] = bad;
        const data = { ...b.data, ids };
        const v = verdict(data);
        assertRefusal(v, data);
        assert.ok((v.problem as string).includes(name), `"${String(v.problem)}" names ${name}`);
      }),
      RUNS,
    );
  });

  it('refuses valid data whose operation, decision or afterStage is spoiled, with no target', () => {
    const spoil = fc.oneof(
      fc.record({ field: fc.constant('operation'), value: fc.oneof(fc.string({ maxLength: 30 }), anyValue) }),
      fc.record({
        field: fc.constantFrom('decision', 'operationStatus'),
        value: fc.oneof(fc.constantFrom('approve', 'deny', 'completed', 'failed', 'Deny', ''), anyValue),
      }),
      fc.record({ field: fc.constant('ids'), value: fc.oneof(fc.constantFrom(null, [], 'ids', 0), anyValue) }),
      fc.record({ field: fc.constant('afterStage'), value: fc.oneof(anyCaseGuid, almostGuid, notGuid, anyValue) }),
    );
    fc.assert(
      fc.property(validButton, spoil, (b, { field, value }) => {
        const data = { ...b.data, [field]: value };
        if (acceptable(data)) return; // the spoiled part still makes a valid button
        const v = verdict(data);
        assertRefusal(v, data);
      }),
      RUNS,
    );
  });

  it('refuses a deny without a justification and any approval whose justification is too long, saying so', () => {
    const approval = validButton.filter((b) => isApproval(b.operation));
    const spoiled = fc.oneof(
      fc.constantFrom(undefined, '', '   ', '\n\t'),
      fc.integer({ min: JUSTIFICATION_MAX + 1, max: 4000 }).map((n) => ' z'.repeat(n).slice(0, n + 1)),
    );
    fc.assert(
      fc.property(approval, spoiled, (b, typed) => {
        const key = inputOf((b.data.ids as Record<string, string>).requestId!);
        const data: Record<string, unknown> = { ...b.data, [key]: typed };
        if (typed === undefined) delete data[key];
        if (acceptable(data)) return; // an approve needs no justification
        const v = verdict(data);
        assertRefusal(v, data);
        assert.match(String(v.problem), /justification/i);
      }),
      RUNS,
    );
  });
});
