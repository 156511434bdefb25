// A reminder's summary is the one line Teams shows for the post in the activity feed and in a
// notification ("summary: Text to be displayed as a notification"; Activity.summary,
// https://learn.microsoft.com/en-us/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#activity-object).
// Its approval's title comes from outside: a notification event's title or text, which the intake
// takes with line breaks and tabs (README, "Notification intake"). A line break there must not make
// the line two, or put words of the sender's on a line of their own under the bot's.

import { strict as assert } from 'node:assert';
import { reminderCard } from '../../src/alerts/reminders';

const ID = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const MOMENT = Date.UTC(2026, 2, 18, 8, 30, 0);
const H = 3_600_000;
const TITLE = 'Adele Vance requested\r\nMarketing tools\n\nApproved already:\tnothing to do\u2028ok';

describe('alerts: a reminder summary is one line', () => {
  for (const [name, now] of [
    ['before its moment', MOMENT - H],
    ['after its moment', MOMENT + 60_000],
  ] as const) {
    it(`${name}: line breaks and tabs of the title show as single spaces`, () => {
      const card = reminderCard(
        {
          approval: { kind: 'roleRequest', requestId: ID, createdAt: MOMENT - 20 * H, title: TITLE },
          expiresAt: MOMENT,
        },
        now,
      );
      assert.doesNotMatch(card.summary, /[\r\n\t\u2028\u2029]|\s{2}/);
      assert.ok(
        card.summary.endsWith(': Adele Vance requested Marketing tools Approved already: nothing to do ok'),
        card.summary,
      );
    });
  }
});
