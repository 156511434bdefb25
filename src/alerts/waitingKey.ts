// One request waits once on the digest's waiting list, whichever card announced it: the request's
// own (its buttons cancel it) or its approval's (its buttons decide it). An approval has the same
// id as its request (graph-reference §6.7; the approval resource: EM, PIM role and group requests), so
// both name the same request, and a cancel or a decision through the bot settles it either way.

import { itemKeyOf } from './itemCopies';

/** The request an approval decides, by operation. */
const REQUEST_OF_APPROVAL: Readonly<Record<string, string>> = {
  decideRoleApproval: 'cancelRoleRequest',
  decideGroupApproval: 'cancelGroupRequest',
  decideAccessPackageApproval: 'cancelAccessPackageRequest',
};

/** The waiting-list key of an item: the request's key for an approval too. */
export function waitingKeyOf(item: {
  readonly operation: string;
  readonly ids: Readonly<Record<string, string>>;
}): string {
  return itemKeyOf({ operation: REQUEST_OF_APPROVAL[item.operation] ?? item.operation, ids: item.ids });
}
