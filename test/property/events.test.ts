// Properties of the notification intake's event validation (README, POST /api/notifications) over
// 10,000 generated bodies each: any JSON or JavaScript value, and valid events of every kind (the
// approval kinds included) to a user, a channel or a category. No exception escapes; a refusal
// lists every problem; an event whose ids are not all GUIDs never yields a card target; a valid
// event is accepted with its ids and target in lower case. Refusals of spoiled events:
// events.refusals.test.ts.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { RUNS, almostGuid, anyCaseGuid, anyValue, notGuid } from './arbitraries';
import {
  CATEGORIES,
  KINDS,
  assertOnlyGuids,
  assertRefusal,
  body,
  callbackPath,
  eventId,
  target,
  validEvent,
  verdict,
} from './eventBodies';

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
    // Random values make an accepted event about 6 times in 10,000, never one to a user, so the
    // userId check never ran: valid events with any of their ids or their target's userId spoiled
    // (the rest kept) are accepted often enough to reach every check.
    const spoiler = fc.oneof(almostGuid, notGuid, fc.string({ maxLength: 40 }));
    const nearEvent = fc
      .tuple(
        validEvent,
        fc.array(fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: spoiler }), {
          minLength: 4,
          maxLength: 4,
        }),
      )
      .map(([e, swaps]) => {
        const ids: Record<string, unknown> = { ...e.ids };
        e.fields.forEach((f, i) => {
          if (swaps[i] !== undefined) ids[f] = swaps[i];
        });
        const to = e.body.target as Record<string, unknown>;
        const spoiled = 'userId' in to && swaps[3] !== undefined ? { userId: swaps[3] } : to;
        return body(e.kind, String(e.body.eventId), spoiled, ids);
      });
    fc.assert(
      fc.property(fc.oneof(anyValue, shaped, nearEvent), (input) => {
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

  // README: in a target "a key set to `null` counts as absent".
  it('accepts every valid event with any of the other target keys set to null, naming the same target', () => {
    const keys = ['userId', 'channelId', 'category'];
    fc.assert(
      fc.property(validEvent, fc.subarray(keys, { minLength: 1 }), fc.boolean(), (e, nulls, viaJson) => {
        const to = e.body.target as Record<string, unknown>;
        const padded = { ...Object.fromEntries(nulls.filter((k) => !(k in to)).map((k) => [k, null])), ...to };
        const sent = { ...e.body, target: padded };
        const input: unknown = viaJson ? JSON.parse(JSON.stringify(sent)) : sent;
        assert.deepEqual(verdict(input), e.expected);
      }),
      RUNS,
    );
  });
});
