// A list card is its owner's: in a group chat or a channel every member sees it, but only the
// owner's presses act (listOwner.ts). Its subtitle said "Buttons act as you, once.", which every
// other member read as an invitation; it names the owner instead, or says "the person who asked"
// for a list saved before owners' names were kept.

import { strict as assert } from 'node:assert';
import { listCard } from '../../src/bot/listCards';
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

  it('says "the person who asked" for a list saved without its owner\'s name', () => {
    const text = shown(snapshot());
    assert.match(text, /Buttons act once, only for the person who asked\./);
    assert.doesNotMatch(text, /act as you/);
  });
});
