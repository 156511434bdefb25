// A posted notification card's binding keeps what the card said its item was (its title, who asked
// for what, its facts), as the bot rendered the event's validated fields: a press's answer keeps it
// above the outcome (test/component/cardClicks.keepsAbout.test.ts). Both ways a card is posted bind
// it: a notification to a chat or a channel, and an alert fanned out to a category's channels. An
// event accepted by an earlier release has no such line, and its card's binding keeps none.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { ItemTitles } from '../../src/alerts/actionAlerts';
import { AlertStore } from '../../src/alerts/alertStore';
import type { DeliveryRecord } from '../../src/alerts/deliveries';
import { DigestLog } from '../../src/alerts/digest';
import { CategoryEvents } from '../../src/notifications/categoryEvents';
import { NotificationEvent, parseEvent } from '../../src/notifications/events';
import { bindPostedAlert } from '../../src/notifications/postedAlert';
import { recordPostedCard } from '../../src/notifications/postedCard';
import { CardBindings } from '../../src/state/cardBindings';
import { SqliteState } from '../../src/state/sqlite';

const REQUEST = '7999249e-249e-7999-9e24-99799e249984';
const ACCEPTED = new Date().toISOString();

function eventOf(body: Record<string, unknown>): NotificationEvent {
  const parsed = parseEvent({ eventId: 'ev-1', requestId: REQUEST, ...body });
  assert.ok(parsed.ok, JSON.stringify(parsed));
  return parsed.event;
}

describe('posted cards: the binding keeps what the card was about', () => {
  let dir: string;
  let state: SqliteState;
  let bindings: CardBindings;
  const logger = pino({ level: 'silent' });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gb-about-'));
    state = new SqliteState(path.join(dir, 'state.db'));
    bindings = new CardBindings(state.records);
  });
  afterEach(async () => {
    await state.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an approval in a chat: who asked for what, without "It waits for your decision." nor the details', async () => {
    const event = eventOf({
      kind: 'accessApproval',
      target: { userId: 'a1b2c3d4-1111-4aaa-8bbb-0000000000a6' },
      principalName: 'Adele Vance',
      accessPackageName: 'Marketing',
      details: 'Campaign launch.',
      title: 'Access request',
    });
    assert.match(event.text, /It waits for your decision\. Campaign launch\./);
    await recordPostedCard({ bindings, logger }, 'a:chat', 'act-1', { event, acceptedAt: ACCEPTED });
    assert.deepEqual((await bindings.cardOf('a:chat', 'act-1'))?.about, {
      title: 'Access request',
      line: 'Adele Vance requested Marketing.',
      facts: [],
    });
  });

  it('a custom task and a workflow run say what they were, not that they still wait or run', () => {
    const task = parseEvent({
      eventId: 'ev-2',
      kind: 'taskCallout',
      target: { channelId: '19:ops@thread.tacv2' },
      callout: {
        data: {
          callbackUriPath:
            '/identityGovernance/lifecycleWorkflows/workflows/a1b2c3d4-0000-4000-8000-000000000001/tasks/a1b2c3d4-0000-4000-8000-000000000002/taskProcessingResults/a1b2c3d4-0000-4000-8000-000000000003/resume',
          subject: { displayName: 'Adele Vance' },
          task: { displayName: 'Approve laptop' },
          workflow: { displayName: 'Onboarding' },
        },
      },
    });
    assert.ok(task.ok, JSON.stringify(task));
    assert.equal(task.event.about, 'Approve laptop for Adele Vance.');
    const run = parseEvent({
      eventId: 'ev-3',
      kind: 'workflowRun',
      target: { channelId: '19:ops@thread.tacv2' },
      workflowId: 'a1b2c3d4-0000-4000-8000-000000000001',
      runId: 'a1b2c3d4-0000-4000-8000-000000000004',
      workflowName: 'Offboarding',
    });
    assert.ok(run.ok, JSON.stringify(run));
    assert.equal(run.event.about, 'A run of the workflow "Offboarding".');
  });

  it('an event an earlier release accepted (no such line) binds its card without one', async () => {
    const { about: _none, ...earlier } = eventOf({
      kind: 'roleRequest',
      target: { userId: 'a1b2c3d4-1111-4aaa-8bbb-0000000000a6' },
    });
    await recordPostedCard({ bindings, logger }, 'a:chat', 'act-2', { event: earlier, acceptedAt: ACCEPTED });
    const card = await bindings.cardOf('a:chat', 'act-2');
    assert.ok(card, 'bound');
    assert.equal(card.about, undefined);
  });

  it('a category event: its alert keeps the line, and each channel post binds it', async () => {
    const alerts = new AlertStore(state.records, state.outbox);
    const events = new CategoryEvents(alerts, new DigestLog(state.records), new ItemTitles(state.records));
    const event = eventOf({
      kind: 'roleRequest',
      target: { category: 'roleRequests' },
      principalName: 'Megan Bowen',
      roleName: 'Global Administrator',
    });
    await events.publish(event, { attachment: { contentType: 'x' }, summary: 's' } as never, ACCEPTED);
    const record = { deliveryId: 'd-1', eventId: 'ev-1', channelId: '19:ops@thread.tacv2' } as DeliveryRecord;
    const deps = { alerts, bindings, copies: { add: async () => undefined }, logger };
    assert.equal(await bindPostedAlert(deps, record, 'act-3'), 'bound');
    assert.deepEqual((await bindings.cardOf('19:ops@thread.tacv2', 'act-3'))?.about, {
      title: '',
      line: 'Megan Bowen requested Global Administrator.',
      facts: [],
    });
  });
});
