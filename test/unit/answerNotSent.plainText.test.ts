// The line said in place of an answer Teams did not take repeats the answer's summary, which can
// hold text from outside the bot: a notification's title (a press remembered for sign-in runs on
// its own turn), a name, what the person typed. A message's `text` is Markdown unless its
// `textFormat` says otherwise, so "[login](https://evil.example)" would become a link and "**"
// bold; `plain` is "raw text with no formatting applied"
// (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/format-your-bot-messages).

import { strict as assert } from 'node:assert';
import { Activity, TurnContext } from 'botbuilder';
import { createAdapter } from '../../src/bot/adapter';
import { AnswerNotSentError } from '../../src/bot/replies';
import { readConfig } from '../../src/config';
import { recordingLogger } from '../fixtures/recordingLogger';

describe('an answer that could not be sent: the line said instead', () => {
  it('goes out as plain text, so a summary holding Markdown shows as written', async () => {
    const adapter = createAdapter(readConfig({}), recordingLogger().logger);
    const activity = {
      type: 'message',
      id: 'm-1',
      channelId: 'msteams',
      serviceUrl: 'https://smba.invalid/',
      from: { id: '29:user', aadObjectId: '00000000-0000-0000-0000-0000000000aa' },
      recipient: { id: '28:bot' },
      conversation: { id: 'a:chat' },
      text: 'cancel role-request 95c690fb-3eb3-4942-a03f-4524aed6f31e',
    } as Activity;
    const ctx = new TurnContext(adapter, activity);
    const sent: Array<Partial<Activity>> = [];
    ctx.onSendActivities(async (_ctx, activities) => {
      sent.push(...activities);
      return activities.map((_, i) => ({ id: `r-${i}` }));
    });
    const summary = '**Urgent** [login](https://evil.example): cancelled';
    const reply = { attachment: { contentType: 'application/vnd.microsoft.card.adaptive', content: {} }, summary };
    await adapter.onTurnError(ctx, new AnswerNotSentError(reply, { cause: new Error('413') }));
    assert.equal(sent.length, 1);
    assert.match(String(sent[0]?.text), /\[login\]\(https:\/\/evil\.example\)/);
    assert.equal(sent[0]?.textFormat, 'plain');
  });
});
