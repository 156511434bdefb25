// A list card is its owner's: in a group chat or a channel every member sees it, but only the
// owner's presses act (listOwner.ts). Its subtitle said "Buttons act as you, once.", which every
// other member read as an invitation; it names the owner instead, or says "the person who asked"
// for a list saved before owners' names were kept.

import { strict as assert } from 'node:assert';
import { listCard } from '../../src/bot/listCards';
import { notYourList } from '../../src/bot/listWords';
import type { WorkItem } from '../../src/domain/myWork';
import type { ListSnapshot } from '../../src/state/listCards';

const item: WorkItem = {
  kind: 'access',
  requestId: '7999249e-249e-7999-9e24-99799e249100',
  requester: 'Adele Vance',
  what: 'Finance reports',
  justification: null,
  duration: null,
  createdAt: '2026-11-29T10:00:00Z',
  expiresAt: null,
};

const snapshot = (userName?: string): ListSnapshot<WorkItem> => ({
  list: 'approvals',
  userId: 'u',
  ...(userName ? { userName } : {}),
  items: [item],
  offset: 0,
  next: {},
  capped: [],
  problems: [],
  outcomes: {},
});
const shown = (s: ListSnapshot<WorkItem>): string => JSON.stringify(listCard(s, Date.now()));

describe('list card: who its buttons act for', () => {
  it('names the owner, never "you"', () => {
    const text = shown(snapshot('Megan Bowen'));
    assert.match(text, /Buttons act once, as Megan Bowen only\./);
    assert.doesNotMatch(text, /act as you/);
  });

  // Teams gives the owner's name as the directory holds it (activity.from.name, the user's Entra
  // displayName: https://learn.microsoft.com/en-us/graph/api/resources/user, free text of up to 256
  // characters): it is shown as the other names from the directory are (README "POST
  // /api/notifications"), without a bidirectional control that would make every member of the chat
  // read the card otherwise than it is, or a control character.
  it("leaves bidirectional controls and control characters out of the owner's name", () => {
    const text = shown(snapshot('Megan\u202E Bowen\u0007'));
    assert.match(text, /Buttons act once, as Megan Bowen only\./);
    assert.ok(!/[\u202a-\u202e\u2066-\u2069]/.test(text) && !text.includes('\\u0007'), text);
    assert.match(shown(snapshot('\u2066\u2069')), /Buttons act once, only for the person who asked\./);
    // Another member's press is told whose list it is, the name shown the same way.
    assert.match(notYourList('approvals', 'Megan\u202E Bowen\u0007'), /^This list is Megan Bowen's\. /);
  });

  it('says "the person who asked" for a list saved without its owner\'s name', () => {
    const text = shown(snapshot());
    assert.match(text, /Buttons act once, only for the person who asked\./);
    assert.doesNotMatch(text, /act as you/);
  });
});
