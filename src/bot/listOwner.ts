// A list card is its owner's: the person who sent "my approvals" or "my requests". In a group chat
// or a channel every member sees the card and can press its buttons, and Teams sends each press as
// the member who pressed it. Only the owner's presses act:
// - More past the rows read would read Graph's next pages, whose links came from the owner's read,
//   with the presser's token, and add the presser's own requests to the owner's card for everyone.
// - A row's Approve, Deny or Cancel was read for the owner: the row is one the owner may decide
//   (their stage, read at the card's time, which tells which of the owner's earlier decisions it
//   showed) or the owner's own request. Another approver of the same request decides it from a
//   list of their own, whose row was read for them ("my approvals"), or from its notification card.
// - Previous and First page show rows already read, but a page turn edits the one message everyone
//   sees and binds the card to the new page's rows: another member's press would move the card away
//   from the rows its owner is deciding, whose buttons would then no longer act.
// Anyone else is told whose list it is and how to get their own; nothing is read, written, edited.

import type { WorkItem } from '../domain/myWork';
import type { ListSnapshot } from '../state/listCards';
import { notYourList } from './listWords';

/** Why `aad` may not press this list card's buttons, or null when the list is theirs. */
export function notOwnersPress(s: ListSnapshot<WorkItem>, aad: string): string | null {
  return s.userId.toLowerCase() === aad.toLowerCase() ? null : notYourList(s.list, s.userName);
}
