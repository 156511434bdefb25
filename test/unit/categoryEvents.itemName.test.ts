// A category event names its item for the channel's later "Actions taken through the bot" card
// (ItemTitles: 'Megan Bowen approved … "<item>"'). The name was the event's line, which for an
// approval or a custom task callout says it still waits ("… It waits for an approver's decision.",
// "… is waiting for a decision."): the action card, posted once it was decided, quoted words its
// own outcome contradicted. The item is now named by the event's `about`, the same words in a form
// that stays true once decided (the line a pressed card keeps).

import { strict as assert } from 'node:assert';
import { CategoryEvents } from '../../src/notifications/categoryEvents';
import { parseEvent } from '../../src/notifications/events';
import { eventCard } from '../../src/bot/replyCards';

async function nameOf(body: Record<string, unknown>): Promise<string> {
  const parsed = parseEvent(body);
  assert.ok(parsed.ok, JSON.stringify(parsed));
  const named: string[] = [];
  const alerts = { publish: async () => undefined };
  const digest = { waiting: async () => undefined, count: async () => undefined };
  const titles = { remember: async (_o: string, _i: unknown, title: string) => void named.push(title) };
  const events = new CategoryEvents(alerts as never, digest as never, titles as never);
  await events.publish(parsed.event, eventCard(parsed.event) as never);
  assert.equal(named.length, 1);
  return named[0]!;
}

describe('the name a category event gives its item for the actions card', () => {
  it('an approval: who asked for what, without "It waits for …"', async () => {
    const name = await nameOf({
      eventId: 'e1',
      kind: 'roleApproval',
      target: { category: 'approvals' },
      requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
      principalName: 'Diego Siciliani',
      roleName: 'Exchange Administrator',
    });
    assert.equal(name, 'Diego Siciliani requested Exchange Administrator.');
  });

  it('a custom task callout: the task and its subject, without "is waiting for a decision"', async () => {
    const name = await nameOf({
      eventId: 'e2',
      kind: 'taskCallout',
      target: { category: 'taskCallouts' },
      callout: {
        data: {
          callbackUriPath:
            '/identityGovernance/lifecycleWorkflows/workflows/14879e66-9ea9-48d0-804d-8fea672d0341/tasks/e07dcdb2-0a77-4ee3-8645-3801fbe1cf9f/taskProcessingResults/6e1ec336-8d06-4386-a377-79dbab1a2eb6/resume',
          task: { displayName: 'Order a laptop' },
          subject: { displayName: 'Adele Vance' },
        },
      },
    });
    assert.doesNotMatch(name, /waiting/);
    assert.match(name, /^Order a laptop/);
  });

  it('a title the sender gave still names it', async () => {
    const name = await nameOf({
      eventId: 'e3',
      kind: 'roleApproval',
      target: { category: 'approvals' },
      requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e',
      title: 'Exchange admin for the migration',
    });
    assert.equal(name, 'Exchange admin for the migration');
  });
});
