// A reminder is posted to a channel read by people in many time zones; "expires at 08:30 UTC" asks
// each of them to convert it, under a deadline. Teams renders Adaptive Cards' DATE() and TIME()
// functions in a TextBlock in the viewer's own time zone and locale
// (https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format#date-and-time-formatting-and-localization;
// the functions: https://learn.microsoft.com/adaptive-cards/authoring-cards/text-features#datetime-formatting-and-localization).
// Their rules: upper case, strict RFC 3339 (2017-02-14T06:08:00Z, or with an offset), a valid date;
// a string that breaks them is shown raw. They are TextBlock features: a TextRun shows its text as
// it is (https://learn.microsoft.com/adaptive-cards/schema-explorer/text-run), and Teams was seen
// to leave them unformatted there (MicrosoftDocs/msteams-docs#4489). The notification's summary is
// plain text and keeps UTC, as does the title. TIME() shows hours and minutes, so the moment given
// is its minute, never later than it is (as the title's stamp).

import { strict as assert } from 'node:assert';
import { alertCardAt } from '../../src/alerts/alertStore';
import { DueReminder, reminderCards } from '../../src/alerts/reminders';
import { nodesOf } from './cardsTeams.cardWalk';

const ID = '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const H = 3_600_000;
// Between minutes: 08:30:59.5.
const MOMENT = Date.UTC(2026, 2, 18, 8, 30, 59, 500);
/** DATE()/TIME() as the text-features page writes them (the reference renderer's own pattern). */
const RFC3339 = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:\d{2})`;
const DATE = new RegExp(String.raw`\{\{DATE\((${RFC3339})(?:, ?(?:COMPACT|LONG|SHORT))?\)\}\}`, 'g');
const TIME = new RegExp(String.raw`\{\{TIME\((${RFC3339})\)\}\}`, 'g');

function due(kind: DueReminder['approval']['kind']): DueReminder {
  return {
    approval: { kind, requestId: ID, createdAt: MOMENT - 20 * H, title: 'Adele Vance requested Global Reader' },
    expiresAt: MOMENT,
  };
}

const texts = (content: unknown, type: string) =>
  nodesOf(content)
    .filter((n) => n.type === type && typeof n.text === 'string')
    .map((n) => n.text as string);

describe('alerts: a reminder shows its moment in the viewer’s own time too', () => {
  for (const kind of ['roleRequest', 'accessPackageRequest'] as const) {
    it(`gives Teams the moment's minute to localize, in a TextBlock (${kind})`, () => {
      const stored = reminderCards(due(kind), MOMENT - 4 * H);
      const { attachment, summary } = alertCardAt(stored, MOMENT - 1);
      const blocks = texts(attachment.content, 'TextBlock');
      const dates = blocks.flatMap((t) => [...t.matchAll(DATE)].map((m) => m[1]!));
      const times = blocks.flatMap((t) => [...t.matchAll(TIME)].map((m) => m[1]!));
      assert.deepEqual(dates, ['2026-03-18T08:30:00Z'], blocks.join('\n'));
      assert.deepEqual(times, ['2026-03-18T08:30:00Z'], blocks.join('\n'));
      assert.ok(Date.parse(times[0]!) <= MOMENT, 'never later than the moment');
      // Every function written is one Teams takes: none left to show raw.
      for (const t of blocks) assert.doesNotMatch(t.replace(DATE, '').replace(TIME, ''), /\{\{|DATE\(|TIME\(/, t);
      for (const t of texts(attachment.content, 'TextRun')) assert.doesNotMatch(t, /\{\{/, t);
      // The summary is plain text: UTC, no function.
      assert.doesNotMatch(summary, /\{\{/);
      assert.match(summary, /^Approval expires at 2026-03-18 08:30 UTC/);
    });
  }

  it('the card posted after the moment names no moment to localize', () => {
    const stored = reminderCards(due('roleRequest'), MOMENT - 4 * H);
    const { attachment } = alertCardAt(stored, MOMENT);
    assert.doesNotMatch(JSON.stringify(attachment.content), /\{\{/);
  });
});
