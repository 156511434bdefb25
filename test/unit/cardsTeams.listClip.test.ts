// A list card over its size budget shortens text from Graph. Two ways that went wrong: a duration
// that is not a simple ISO 8601 duration was shown as it came, uncut, so ten rows of it still
// weighed more than Teams accepts (413 MessageSizeTooBig); and cuts counted code points, so a cut
// could fall inside a user-perceived character (a flag is two regional indicators, an emoji
// sequence is joined by U+200D), leaving half a flag, or pairing the halves of two flags into a
// different one. Cuts now fall between grapheme clusters (https://www.unicode.org/reports/tr29/).
// https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/format-your-bot-messages

import { strict as assert } from 'node:assert';
import { PAGE_SIZE, listCard } from '../../src/bot/listCards';
import type { WorkItem } from '../../src/domain/myWork';
import type { ListSnapshot } from '../../src/state/listCards';
import { libraryProblems, plainTexts } from './cardsTeams.cardWalk';

const LIMIT = 28 * 1024;
const now = Date.UTC(2026, 2, 4, 20, 0, 0);
const GRAPHEMES = new Intl.Segmenter('und', { granularity: 'grapheme' });

function page(fill: (i: number) => Partial<WorkItem>, outcome?: string): ListSnapshot<WorkItem> {
  const items: WorkItem[] = Array.from({ length: PAGE_SIZE }, (_, i) => ({
    kind: 'role',
    requestId: `95c690fb-3eb3-4942-a03f-${String(i).padStart(12, '0')}`,
    requester: '名'.repeat(300),
    what: '名'.repeat(300),
    justification: '名'.repeat(300),
    duration: 'PT8H',
    createdAt: '2026-03-04T10:00:00Z',
    expiresAt: '2026-03-05T10:00:00Z',
    ...fill(i),
  }));
  const outcomes = outcome
    ? Object.fromEntries(items.map((it) => [it.requestId, { text: outcome, style: 'good' as const }]))
    : {};
  return { list: 'approvals', userId: 'u', items, offset: 0, next: {}, capped: [], problems: [], outcomes };
}

function bytesOf(reply: ReturnType<typeof listCard>): number {
  assert.deepEqual(libraryProblems(reply.attachment.content), []);
  const activity = { type: 'message', attachments: [reply.attachment], summary: reply.summary };
  return Buffer.byteLength(JSON.stringify(activity), 'utf8');
}

/** Every user-perceived character holding a regional indicator, in the card's shown text. */
function flagsShown(reply: ReturnType<typeof listCard>): string[] {
  const text = plainTexts(reply.attachment.content)
    .join('\n')
    .replace(/\u200b/g, '');
  return [...GRAPHEMES.segment(text)].map((g) => g.segment).filter((g) => /\p{Regional_Indicator}/u.test(g));
}

describe('cards in Teams: a list card shortened to fit', () => {
  it('fits a full page whose durations from Graph are not simple ISO 8601 durations', () => {
    // myWorkReader keeps any string up to 300 characters; durationWords shows it as it came.
    const reply = listCard(
      page(() => ({ duration: '名'.repeat(300) })),
      now,
    );
    const size = bytesOf(reply);
    assert.ok(size <= LIMIT, `${size} bytes > ${LIMIT}`);
  });

  it('never cuts inside a flag: a shortened name or outcome shows only whole flags', () => {
    // 🇩🇪 and 🇫🇷: a cut between the two halves of a flag in the middle of an outcome would show a
    // lone letter and re-pair the halves that follow into other "flags" (🇪🇫, 🇷🇩).
    const flags = '🇩🇪🇫🇷'.repeat(100);
    const reply = listCard(
      page(() => ({ what: `x${flags}`, requester: flags }), `Approved by x${flags}.`),
      now,
    );
    const shown = flagsShown(reply);
    assert.ok(shown.length > 0, 'flags are shown');
    assert.deepEqual(
      shown.filter((f) => f !== '🇩🇪' && f !== '🇫🇷'),
      [],
    );
  });

  it('never cuts inside an emoji sequence joined by U+200D', () => {
    const family = '👩‍👩‍👧‍👦'.repeat(120);
    const reply = listCard(
      page(() => ({ what: `x${family}` }), `Approved by x${family}.`),
      now,
    );
    const text = plainTexts(reply.attachment.content)
      .join('\n')
      .replace(/\u200b/g, '');
    const broken = [...GRAPHEMES.segment(text)]
      .map((g) => g.segment)
      .filter((g) => /\u200d|\p{Extended_Pictographic}/u.test(g) && g !== '👩‍👩‍👧‍👦');
    assert.deepEqual(broken, []);
  });
});
