// The names an event passes on from the directory (a person's, a role's, a group's, an access
// package's, a workflow's, a custom task's) are not the sender's to rewrite: a custom task callout
// is what Lifecycle Workflows posts, names as Entra holds them, and a user's displayName is free
// text of up to 256 characters (https://learn.microsoft.com/en-us/graph/api/resources/user), which
// may hold a bidirectional embedding pasted from another system with a right-to-left name. Refused,
// the callout's card never comes and the custom task is never resumed from Teams (the workflow
// waits for its timeout:
// https://learn.microsoft.com/en-us/entra/id-governance/lifecycle-workflow-extensibility). So such a
// name is taken with the character left out on the card (it cannot reorder what the card says:
// "Trojan Source", CVE-2021-42574, https://www.unicode.org/reports/tr9/#Explicit_Directional_Embeddings),
// and the 202's `notices` say so; the sender's own `title`, `details` and `duration` are still
// refused with such a character.

import { strict as assert } from 'node:assert';
import { eventCard } from '../../src/bot/replyCards';
import { NotificationEvent } from '../../src/notifications/events';
import { USER, event, intakeEdge, request } from '../fixtures/intakeEdge';

const W = '14879e66-9ea9-48d0-804d-8fea672d0341';
const T = 'e07dcdb2-0a77-4ee3-8645-3801fbe1cf9f';
const R = '6e1ec336-8d06-4386-a377-79dbab1a2eb6';
const BIDI = /[\u202a-\u202e\u2066-\u2069]/;

const callout = (subject: string, task: string, workflow: string) => ({
  eventId: 'callout-rtl',
  kind: 'taskCallout',
  target: { userId: USER },
  callout: {
    source: 'Lifecycle Workflows',
    type: 'lifecycleEvent',
    data: {
      subject: { id: USER, displayName: subject },
      task: { id: T, displayName: task },
      taskProcessingResult: { id: R },
      workflow: { id: W, displayName: workflow },
      callbackUriPath: `/identityGovernance/lifecycleWorkflows/workflows/${W}/tasks/${T}/taskProcessingResults/${R}/microsoft.graph.identityGovernance.resume`,
    },
  },
});

describe('notification intake: names from the directory holding a bidirectional control', () => {
  const edge = intakeEdge({ check: async () => ({ ok: true, claims: {} }) });
  type Answer = { accepted?: string; notices?: string[]; problems?: string[] };
  const post = async (body: unknown) => {
    const r = await request(`${edge.base}/api/notifications`, 'POST', JSON.stringify(body));
    return { ...(JSON.parse(r.text) as Answer), status: r.status };
  };
  const cardOf = (eventId: string) => {
    const stored = edge.store.records.get(eventId)?.event as NotificationEvent | undefined;
    assert.ok(stored, 'stored');
    return JSON.stringify(eventCard(stored, edge.clock));
  };

  it("delivers a custom task callout whose person's name holds U+202B, the character left out", async () => {
    const r = await post(callout('\u202Bאדל ואנס\u202C', 'Order a laptop', 'Onboard\u2067 new hires'));
    assert.equal(r.status, 202, JSON.stringify(r));
    assert.deepEqual(edge.kicked, ['callout-rtl'], 'handed to delivery');
    const card = cardOf('callout-rtl');
    assert.ok(!BIDI.test(card), card);
    assert.ok(card.includes('Order a laptop for אדל ואנס'), card);
    assert.ok(card.includes('Onboard new hires'), card);
    assert.deepEqual(r.notices, [
      'callout.data.subject.displayName holds U+202B (a bidirectional embedding, override or isolate), ' +
        'U+202C (a bidirectional embedding, override or isolate), which the card leaves out.',
      'callout.data.workflow.displayName holds U+2067 (a bidirectional embedding, override or isolate), which the card leaves out.',
    ]);
  });

  it("takes a request's names with such characters, control characters and half a surrogate pair neutralized", async () => {
    const r = await post(
      event('names-rtl', {
        kind: 'roleApproval',
        principalName: 'Adele\u202E Vance',
        roleName: 'Global\u0007 Reader\ud800',
      }),
    );
    assert.equal(r.status, 202, JSON.stringify(r));
    const card = cardOf('names-rtl');
    assert.ok(!BIDI.test(card) && !card.includes('\\u0007') && !/\\ud800/i.test(card), card);
    assert.ok(card.includes('Adele Vance requested Global Reader\uFFFD'), card);
    assert.deepEqual(r.notices, [
      'principalName holds U+202E (a bidirectional embedding, override or isolate), which the card leaves out.',
      'roleName holds U+0007 (a control character), U+D800 (half of a surrogate pair), which the card leaves out ' +
        '(half a surrogate pair is shown as U+FFFD).',
    ]);
  });

  it("delivers a custom task callout whose person's name has Entra's 256 characters, shortened on the card", async () => {
    // https://learn.microsoft.com/en-us/graph/api/resources/user: displayName "Maximum length is 256 characters".
    const long = `Adele ${'Vance '.repeat(41)}Vanc`;
    assert.equal([...long].length, 256);
    const r = await post({ ...callout(long, 'Order a laptop', 'Onboard new hires'), eventId: 'callout-long' });
    assert.equal(r.status, 202, JSON.stringify(r));
    assert.ok(edge.kicked.includes('callout-long'), 'handed to delivery');
    const card = cardOf('callout-long');
    assert.ok(card.includes(`Order a laptop for ${long.slice(0, 199)}…`) && !card.includes(long), card);
    assert.deepEqual(r.notices, [
      'callout.data.subject.displayName is 256 characters long; the card shows its first 199 followed by "…".',
    ]);
  });

  it("still refuses such a character in the sender's own title, details and duration", async () => {
    for (const field of ['title', 'details', 'duration']) {
      const r = await post(event(`own-${field}`, { [field]: 'Eight\u202E hours' }));
      assert.equal(r.status, 400, field);
      assert.match((r.problems ?? []).join(' | '), new RegExp(`^${field} contains U\\+202E `));
    }
    assert.equal(edge.store.records.size, 0);
  });
});
