// An install captured on one instance is in Azure Blob Storage (Azurite on loopback) once its turn
// has ended, for another instance on the same container to find: a notification handled there right
// after the install is delivered, not settled "has not installed". The capture delay here is a
// minute, so only an install written at once passes; a message turn is still written behind.
// Install events: https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events

import { strict as assert } from 'node:assert';
import { Activity, TestAdapter, TurnContext } from 'botbuilder';
import { ReferenceCapture } from '../../src/bot/referenceCapture';
import { AzureState } from '../../src/state/azure';
import { ConversationReferences } from '../../src/state/references';
import { azuriteSession } from '../fixtures/azuriteSession';
import { recordingLogger } from '../fixtures/recordingLogger';

const BOB = 'b0b0b0b0-2222-4aaa-8bbb-0000000000b0';
const BOT = { id: '28:bot', name: 'Governance Bot' };
const bobsChat: Partial<Activity> = {
  channelId: 'msteams',
  serviceUrl: 'https://smba.example/',
  from: { id: '29:bob', name: 'Bob', aadObjectId: BOB },
  recipient: BOT,
  conversation: { id: 'a:personal-bob', conversationType: 'personal', tenantId: 't', isGroup: false, name: '' },
  channelData: { tenant: { id: 't' } },
};

describe('conversation references: an install on Azure Storage (Azurite)', function () {
  this.timeout(60_000);
  const session = azuriteSession();
  const opened: AzureState[] = [];
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });
  const open = (container: string) => {
    const state = new AzureState({ connectionString: session.connectionString, container });
    opened.push(state);
    return state;
  };

  it('is stored when its turn ends, for another instance to read; a message turn is not yet', async () => {
    const container = session.freshContainer();
    const a = open(container);
    const b = open(container);
    const references = new ConversationReferences(a.records, { flushDelayMs: 60_000 });
    const capture = new ReferenceCapture(references, recordingLogger().logger);
    const turn = (activity: Partial<Activity>) =>
      capture.onTurn(new TurnContext(new TestAdapter(), activity), async () => undefined);
    await turn({ ...bobsChat, type: 'message', id: 'm1', text: 'hi' });
    await capture.idle();
    assert.equal(await b.records.get(`ref:user:${BOB}`), null, 'a message turn waits for the capture delay');
    await turn({ ...bobsChat, type: 'installationUpdate', action: 'add' });
    const stored = await b.records.get<{ reference: { conversation: { id: string } } }>(`ref:user:${BOB}`);
    assert.equal(stored?.value.reference.conversation.id, 'a:personal-bob');
    await references.flush();
  });
});
