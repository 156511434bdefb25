// One request waits once on the digest's waiting list, whichever card announced it: the request's
// own (its buttons cancel it) or its approval's (its buttons decide it). An approval has the same
// id as its request (graph-reference §6.7; the approval resource: EM, PIM role and group requests), so
// both name the same request, and a cancel or a decision through the bot settles it either way.

import { ROW_OPERATION, WORK_KINDS } from '../domain/myWork';
import { itemKeyOf } from './itemCopies';

/** The request an approval decides, by operation: the two operations of one kind of row. */
const REQUEST_OF_APPROVAL: Readonly<Record<string, string>> = Object.fromEntries(
  WORK_KINDS.map((kind) => [ROW_OPERATION.approvals[kind], ROW_OPERATION.requests[kind]]),
);

/** The waiting-list key of an item: the request's key for an approval too. */
export function waitingKeyOf(item: {
  readonly operation: string;
  readonly ids: Readonly<Record<string, string>>;
}): string {
  return itemKeyOf({ operation: REQUEST_OF_APPROVAL[item.operation] ?? item.operation, ids: item.ids });
}
