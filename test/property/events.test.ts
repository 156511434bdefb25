// Properties of the notification intake's event validation (README, POST /api/notifications) over
// 10,000 generated bodies each: any JSON or JavaScript value, valid events of every kind (the
// approval kinds included) to a user, a channel or a category, and valid events with one or two
// fields spoiled. No exception escapes; a refusal lists every problem and
// names each offending field; an event whose ids are not all GUIDs never yields a card target.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { RUNS, LOWER_GUID, anyCaseGuid, anyValue, notGuid } from './arbitraries';
// The parser under test, named in this one place: a rename is a one-line change.
import { parseEvent as parse } from '../../src/notifications/events';

type Verdict =
  | {
      readonly kind: 'accepted';
      readonly operation: string;
      readonly ids: Record<string, string>;
      readonly target: Record<string, string>;
    }
  | { readonly kind: 'refused'; readonly problems: unknown };

/** The parser's answer in the terms these properties need. */
function verdict(body: unknown): Verdict {
  const r = parse(body);
  if (!r.ok) return { kind: 'refused', problems: r.problems };
  return {
    kind: 'accepted',
    operation: r.event.item.operation,
    ids: { ...r.event.item.ids },
    target: { ...r.event.target } as Record<string, string>,
  };
}

const CHANNEL = /^19:[A-Za-z0-9._@-]{1,200}$/;

/** README: each kind, the operation its buttons act on, and where its ids are in the body. */
const KINDS = {
  roleRequest: { operation: 'cancelRoleRequest', ids: { requestId: 'requestId' } },
  groupRequest: { operation: 'cancelGroupRequest', ids: { requestId: 'requestId' } },
  accessRequest: { operation: 'cancelAccessPackageRequest', ids: { requestId: 'requestId' } },
  workflowRun: { operation: 'cancelWorkflowRun', ids: { workflowId: 'workflowId', runId: 'runId' } },
  taskCallout: {
    operation: 'resumeTask',
    ids: { workflowId: 'workflow', taskId: 'task', taskProcessingResultId: 'taskProcessingResult' },
  },
  roleApproval: { operation: 'decideRoleApproval', ids: { requestId: 'requestId' } },
  groupApproval: { operation: 'decideGroupApproval', ids: { requestId: 'requestId' } },
  accessApproval: { operation: 'decideAccessPackageApproval', ids: { requestId: 'requestId' } },
} as const;

/** README: the categories an event may target instead of one chat or channel. */
const CATEGORIES = [
  'roleRequests',
  'groupRequests',
  'accessPackageRequests',
  'workflowRuns',
  'taskCallouts',
  'approvals',
  'actions',
] as const;
type Kind = keyof typeof KINDS;

const callbackPath = (w: string, t: string, r: string) =>
  `/identityGovernance/lifecycleWorkflows/workflows/${w}/tasks/${t}/taskProcessingResults/${r}/microsoft.graph.identityGovernance.resume`;

/** The body of one event; `ids` maps the body's id fields (see KINDS) to their values. */
function body(kind: Kind, eventId: string, target: unknown, ids: Record<string, unknown>): Record<string, unknown> {
  const common = { eventId, kind, target, title: 'A title', details: 'Some details.' };
  if (kind === 'taskCallout') {
    const [w, t, r] = [ids.workflow, ids.task, ids.taskProcessingResult].map(String);
    return {
      ...common,
      callout: {
        source: 'Lifecycle Workflows',
        type: 'lifecycleEvent',
        data: {
          '@odata.type': '#microsoft.graph.identityGovernance.customTaskExtensionCalloutData',
          subject: { displayName: 'Adele Vance' },
          task: { id: t, displayName: 'Order a laptop' },
          taskProcessingResult: { id: r },
          workflow: { id: w, displayName: 'Onboard new hires' },
          callbackUriPath: callbackPath(w!, t!, r!),
        },
      },
    };
  }
  return { ...common, principalName: 'Megan Bowen', ...ids };
}

/** The prefixes of the bot's own alert ids, which an event may not take (README, POST /api/notifications). */
const RESERVED_ID = /^(?:action|reminder|digest):/i;
const eventId = fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/).filter((id) => !RESERVED_ID.test(id));
const target = fc.oneof(
  anyCaseGuid.map((userId) => ({ userId })),
  fc.stringMatching(/^[A-Za-z0-9._@-]{1,60}$/).map((s) => ({ channelId: `19:${s}` })),
  fc.constantFrom(...CATEGORIES).map((category) => ({ category })),
);

const validEvent = fc
  .tuple(
    fc.constantFrom(...(Object.keys(KINDS) as Kind[])),
    eventId,
    target,
    fc.array(anyCaseGuid, { minLength: 3, maxLength: 3 }),
  )
  .map(([kind, id, to, guids]) => {
    const fields = Object.values(KINDS[kind].ids);
    const ids = Object.fromEntries(fields.map((f, i) => [f, guids[i]!]));
    return {
      kind,
      fields,
      body: body(kind, id, to, ids),
      ids,
      expected: {
        kind: 'accepted' as const,
        operation: KINDS[kind].operation,
        ids: Object.fromEntries(Object.keys(KINDS[kind].ids).map((n, i) => [n, guids[i]!.toLowerCase()])),
        target: 'userId' in to ? { userId: to.userId.toLowerCase() } : to,
      },
    };
  });

function assertRefusal(v: Verdict, input: unknown): asserts v is Extract<Verdict, { kind: 'refused' }> {
  assert.equal(v.kind, 'refused', `expected a refusal for ${safeJson(input)}, got ${JSON.stringify(v)}`);
  assert.ok(Array.isArray(v.problems) && v.problems.length > 0, 'a refusal lists its problems');
  for (const p of v.problems as unknown[])
    assert.ok(typeof p === 'string' && p.trim().length > 0, 'each problem is text');
}

function assertOnlyGuids(v: Verdict, input: unknown): void {
  if (v.kind !== 'accepted') return;
  const kind = Object.values(KINDS).find((k) => k.operation === v.operation);
  assert.ok(kind, `unknown operation ${v.operation}`);
  assert.deepEqual(Object.keys(v.ids).sort(), Object.keys(kind.ids).sort());
  for (const [name, id] of Object.entries(v.ids)) assert.match(id, LOWER_GUID, `${name} from ${safeJson(input)}`);
  if ('userId' in v.target) assert.match(v.target.userId!, LOWER_GUID);
  else if ('category' in v.target) assert.ok((CATEGORIES as readonly string[]).includes(v.target.category!));
  else assert.match(v.target.channelId ?? '', CHANNEL);
}

function safeJson(v: unknown): string {
  try {
    return (JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)) ?? String(v)).slice(0, 2000);
  } catch {
    return String(v);
  }
}

/** The words a problem about a body field uses: README field names, or "the task id in callbackUriPath". */
const mentionOf = (kind: Kind, field: string) => (kind === 'taskCallout' ? `${field} id` : field);

describe('property: notification events', function () {
  this.timeout(60_000);

  it('answers any value without throwing; a refusal lists its problems; only GUIDs become ids', () => {
    const idOrNot = fc.oneof(anyCaseGuid, notGuid);
    const shaped = fc.record(
      {
        eventId: fc.oneof(eventId, anyValue),
        kind: fc.oneof(fc.constantFrom(...Object.keys(KINDS), '__proto__', 'toString'), anyValue),
        target: fc.oneof(
          target,
          fc.record(
            {
              userId: fc.oneof(notGuid, anyValue),
              channelId: fc.oneof(fc.string(), anyValue),
              category: fc.oneof(fc.constantFrom(...CATEGORIES, 'Approvals', 'digest', ''), anyValue),
            },
            { requiredKeys: [] },
          ),
          anyValue,
        ),
        requestId: fc.oneof(anyCaseGuid, notGuid, anyValue),
        workflowId: fc.oneof(anyCaseGuid, notGuid, anyValue),
        runId: fc.oneof(anyCaseGuid, notGuid, anyValue),
        requestAction: fc.oneof(fc.constantFrom('selfExtend', 'SelfActivate', 'selfExtension', ''), anyValue),
        title: fc.oneof(fc.string({ maxLength: 300 }), anyValue),
        callout: fc.oneof(
          fc.tuple(idOrNot, idOrNot, idOrNot, fc.option(anyValue, { nil: undefined })).map(([w, t, r, other]) => ({
            data: { callbackUriPath: callbackPath(w, t, r), task: { id: other === undefined ? t : other } },
          })),
          anyValue,
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(anyValue, shaped), (input) => {
        const v = verdict(input);
        if (v.kind === 'refused') assertRefusal(v, input);
        assertOnlyGuids(v, input);
      }),
      RUNS,
    );
  });

  it('accepts every valid event of every kind and hands on its target and ids in lower case', () => {
    fc.assert(
      fc.property(validEvent, fc.boolean(), (e, viaJson) => {
        const input: unknown = viaJson ? JSON.parse(JSON.stringify(e.body)) : e.body;
        assert.deepEqual(verdict(input), e.expected);
      }),
      RUNS,
    );
  });

  it('refuses an event with one or two ids spoiled, naming every spoiled field, with no target', () => {
    fc.assert(
      fc.property(validEvent, fc.nat(), fc.nat(), notGuid, notGuid, fc.boolean(), (e, a, b, bad1, bad2, two) => {
        const spoiled = new Set([e.fields[a % e.fields.length]!, ...(two ? [e.fields[b % e.fields.length]!] : [])]);
        const ids: Record<string, unknown> = { ...e.ids };
        let k = 0;
        for (const f of spoiled) ids[f] = k++ === 0 ? bad1 : bad2;
        // A taskCallout's ids travel in its callbackUriPath: a spoiled one that breaks the path
        // shape (a "/" or nothing at all) is reported as the path, not as that id.
        if (e.kind === 'taskCallout' && [...spoiled].some((f) => /\/|^$/.test(String(ids[f])))) return;
        const input = body(e.kind, String(e.body.eventId), e.body.target, ids);
        const v = verdict(input);
        assertRefusal(v, input);
        const text = (v.problems as string[]).join(' | ');
        for (const f of spoiled) assert.ok(text.includes(mentionOf(e.kind, f)), `"${text}" names ${f}`);
      }),
      RUNS,
    );
  });

  it('refuses an event with a spoiled target, event id or kind, naming the field', () => {
    const spoil = fc.oneof(
      fc.record({
        field: fc.constant('target'),
        value: fc.oneof(
          notGuid.map((userId) => ({ userId })),
          anyValue,
        ),
      }),
      fc.record({ field: fc.constant('target'), value: fc.string({ maxLength: 30 }).map((s) => ({ channelId: s })) }),
      fc.record({
        field: fc.constant('target'),
        value: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('Approvals', 'digest', '')).map((category) => ({
          category,
        })),
      }),
      fc.record({
        field: fc.constant('eventId'),
        value: fc.oneof(
          fc.string({ maxLength: 200 }),
          anyValue,
          fc
            .tuple(fc.constantFrom('action:', 'reminder:', 'Digest:'), fc.stringMatching(/^[A-Za-z0-9._:-]{0,100}$/))
            .map(([prefix, rest]) => prefix + rest),
        ),
      }),
      fc.record({ field: fc.constant('kind'), value: fc.oneof(fc.string({ maxLength: 20 }), anyValue) }),
    );
    fc.assert(
      fc.property(validEvent, spoil, (e, { field, value }) => {
        const stillValid =
          (field === 'eventId' &&
            typeof value === 'string' &&
            /^[A-Za-z0-9._:-]{1,128}$/.test(value) &&
            !RESERVED_ID.test(value)) ||
          // Another kind is a different valid event, or one missing that kind's own fields.
          (field === 'kind' && typeof value === 'string' && Object.hasOwn(KINDS, value)) ||
          (field === 'target' &&
            value !== null &&
            typeof value === 'object' &&
            ((typeof (value as { channelId?: unknown }).channelId === 'string' &&
              CHANNEL.test((value as { channelId: string }).channelId)) ||
              (CATEGORIES as readonly unknown[]).includes((value as { category?: unknown }).category) ||
              LOWER_GUID.test(String((value as { userId?: unknown }).userId).toLowerCase())));
        if (stillValid) return;
        const input = { ...e.body, [field]: value };
        const v = verdict(input);
        assertRefusal(v, input);
        const text = (v.problems as string[]).join(' | ');
        assert.ok(text.includes(field), `"${text}" names ${field}`);
      }),
      RUNS,
    );
  });

  it('refuses, without throwing, a JSON callout whose task id is an object that has no text form', () => {
    // Found by the first property: String() of {"toString":1} throws inside the validation. JSON
    // can carry it, so the intake must refuse it like any other wrong id.
    const e = fc.sample(
      validEvent.filter((x) => x.kind === 'taskCallout'),
      { numRuns: 1, seed: 7 },
    )[0]!;
    const input = JSON.parse(JSON.stringify(e.body)) as { callout: { data: { task: { id: unknown } } } };
    input.callout.data.task.id = { toString: 1 };
    assertRefusal(verdict(input), input);
  });

  it('refuses oversize text fields and huge values without throwing', () => {
    const huge = fc
      .tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.integer({ min: 1001, max: 70_000 }))
      .map(([s, n]) => s.repeat(Math.ceil(n / s.length)));
    fc.assert(
      fc.property(
        validEvent,
        fc.constantFrom('title', 'details', 'principalName', 'eventId'),
        huge,
        (e, field, text) => {
          if (field === 'principalName' && (e.kind === 'taskCallout' || e.kind === 'workflowRun')) return; // not its field
          const input = { ...e.body, [field]: text };
          const v = verdict(input);
          assertRefusal(v, input);
          assert.ok((v.problems as string[]).join(' | ').includes(field), `names ${field}`);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
