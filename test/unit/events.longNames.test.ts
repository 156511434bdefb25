// A name an event passes on from the directory is not the sender's to shorten: a custom task
// callout is what Lifecycle Workflows posts, and a user's displayName may run to 256 characters
// ("Maximum length is 256 characters", https://learn.microsoft.com/en-us/graph/api/resources/user),
// a group's too (https://learn.microsoft.com/en-us/graph/api/resources/group). Refused for its
// length, the callout's card never comes and the custom task is never resumed from Teams
// (https://learn.microsoft.com/en-us/entra/id-governance/lifecycle-workflow-extensibility). So a
// name longer than the card shows, up to the directory's 256, is taken with its first 199
// characters and "…", and the 202's notices say so; the sender's own title, details and duration are still
// refused when too long.

import { strict as assert } from 'node:assert';
import { parseEvent } from '../../src/notifications/events';

const USER = 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1';
const REQUEST = '95c690fb-3eb3-4942-a03f-4524aed6f31e';
const W = '14879e66-9ea9-48d0-804d-8fea672d0341';
const T = 'e07dcdb2-0a77-4ee3-8645-3801fbe1cf9f';
const R = '6e1ec336-8d06-4386-a377-79dbab1a2eb6';
const LONG = `Adele ${'\u{1F600}'.repeat(194)} Vance`.padEnd(250, 'x');

describe('names from the directory longer than a card shows', () => {
  it("takes a custom task callout whose person's name has 256 characters, its first 199 and an ellipsis shown", () => {
    const name = 'A'.repeat(256);
    const parsed = parseEvent({
      eventId: 'e1',
      kind: 'taskCallout',
      target: { userId: USER },
      callout: {
        data: {
          subject: { displayName: name },
          callbackUriPath: `/identityGovernance/lifecycleWorkflows/workflows/${W}/tasks/${T}/taskProcessingResults/${R}/microsoft.graph.identityGovernance.resume`,
        },
      },
    });
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.join(' | '));
    assert.deepEqual(parsed.event.facts, [{ title: 'Subject', value: `${'A'.repeat(199)}…` }]);
    assert.deepEqual(parsed.notices, [
      'callout.data.subject.displayName is 256 characters long; the card shows its first 199 followed by "…".',
    ]);
  });

  it('takes a request whose names are longer, counted in characters, not cutting one in two', () => {
    const parsed = parseEvent({
      eventId: 'e1',
      kind: 'roleApproval',
      target: { userId: USER },
      requestId: REQUEST,
      principalName: LONG,
      roleName: 'Reader',
    });
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.join(' | '));
    assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])/.test(parsed.event.text), parsed.event.text);
    assert.ok(parsed.event.text.includes(`${[...LONG].slice(0, 199).join('')}…`), parsed.event.text);
    assert.deepEqual(parsed.notices, [
      `principalName is ${[...LONG].length} characters long; the card shows its first 199 followed by "…".`,
    ]);
  });

  it('refuses a name longer than any the directory holds (256 characters)', () => {
    const parsed = parseEvent({
      eventId: 'e1',
      kind: 'roleApproval',
      target: { userId: USER },
      requestId: REQUEST,
      principalName: 'A'.repeat(257),
    });
    assert.ok(!parsed.ok);
    assert.match(parsed.problems.join(' | '), /^principalName must be at most 256 characters/);
  });

  it("still refuses the sender's own duration when too long", () => {
    const parsed = parseEvent({
      eventId: 'e1',
      kind: 'roleApproval',
      target: { userId: USER },
      requestId: REQUEST,
      duration: 'x'.repeat(41),
    });
    assert.ok(!parsed.ok);
    assert.match(parsed.problems.join(' | '), /^duration must be at most 40 characters/);
  });
});
