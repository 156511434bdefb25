// Properties of card-button data over 10,000 generated values each: anything a click may carry
// (any JSON, any JavaScript value), valid button data, and valid data with one part spoiled.
// Button data is validated like a typed command: no exception escapes, a refusal says what is
// wrong, and only GUIDs ever become an operation's ids.

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
    }
  | { readonly kind: 'refused'; readonly problem: unknown };

/** The parser's answer in the terms these properties need. */
function verdict(data: unknown): Verdict {
  const r = parse(data);
  if (!r.ok) return { kind: 'refused', problem: r.problem };
  const { operation, ids, decision } = r.target;
  return { kind: 'operation', operation, ids: { ...ids }, ...(decision ? { status: decision } : {}) };
}

/** Each operation a button can name and its ids (contract §4). */
const OPERATIONS = {
  cancelWorkflowRun: ['workflowId', 'runId'],
  cancelRoleRequest: ['requestId'],
  cancelGroupRequest: ['requestId'],
  cancelAccessPackageRequest: ['requestId'],
  resumeTask: ['workflowId', 'taskId', 'taskProcessingResultId'],
} as const;
type Operation = keyof typeof OPERATIONS;
const NAMES = Object.keys(OPERATIONS) as Operation[];
const takesDecision = (op: Operation) => op === 'resumeTask';

/** Button data as the bot puts it on its cards, and the target it must parse to. */
const validButton = fc
  .tuple(fc.constantFrom(...NAMES), fc.array(anyCaseGuid, { minLength: 3, maxLength: 3 }), fc.boolean())
  .map(([operation, guids, completed]) => {
    const names = OPERATIONS[operation];
    const ids = Object.fromEntries(names.map((n, i) => [n, guids[i]!]));
    const status = takesDecision(operation) ? (completed ? 'completed' : 'failed') : undefined;
    return {
      operation,
      data: { verb: 'governance.act', operation, ids, ...(status ? { operationStatus: status } : {}) } as Record<
        string,
        unknown
      >,
      expected: {
        kind: 'operation' as const,
        operation,
        ids: Object.fromEntries(names.map((n, i) => [n, guids[i]!.toLowerCase()])),
        ...(status ? { status } : {}),
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
  if (takesDecision(v.operation as Operation)) assert.ok(v.status === 'completed' || v.status === 'failed');
  else assert.equal(v.status, undefined);
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
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(anyValue, shaped), (data) => {
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

  it('refuses valid data whose operation or decision is spoiled, with no target', () => {
    const spoil = fc.oneof(
      fc.record({ field: fc.constant('operation'), value: fc.oneof(fc.string({ maxLength: 30 }), anyValue) }),
      fc.record({ field: fc.constant('operationStatus'), value: fc.oneof(fc.string({ maxLength: 12 }), anyValue) }),
      fc.record({ field: fc.constant('ids'), value: fc.oneof(fc.constantFrom(null, [], 'ids', 0), anyValue) }),
    );
    fc.assert(
      fc.property(validButton, spoil, (b, { field, value }) => {
        if (field === 'operation' && typeof value === 'string' && Object.hasOwn(OPERATIONS, value)) return; // still valid
        const decision = takesDecision(b.operation);
        if (field === 'operationStatus' && !decision && value === undefined) return; // still valid
        if (field === 'operationStatus' && decision && (value === 'completed' || value === 'failed')) return;
        if (field === 'ids' && value !== null && typeof value === 'object' && !Array.isArray(value)) return; // see above
        const data = { ...b.data, [field]: value };
        const v = verdict(data);
        assertRefusal(v, data);
      }),
      RUNS,
    );
  });
});
