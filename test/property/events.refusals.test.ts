// Properties of the notification intake's event validation (README, POST /api/notifications) over
// generated valid events of every kind with one or two fields spoiled (ids, target, event id, kind,
// oversize text): each is refused without an exception, and the refusal names each offending
// field.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { RUNS, LOWER_GUID, anyValue, notGuid } from './arbitraries';
import {
  CATEGORIES,
  CHANNEL,
  KINDS,
  RESERVED_ID,
  DOT_SEGMENT_ID,
  assertRefusal,
  body,
  mentionOf,
  validEvent,
  verdict,
} from './eventBodies';

describe('property: notification events with spoiled fields', function () {
  this.timeout(60_000);

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
            !RESERVED_ID.test(value) &&
            !DOT_SEGMENT_ID.test(value)) ||
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
      RUNS,
    );
  });
});
