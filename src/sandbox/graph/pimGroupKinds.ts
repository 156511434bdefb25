// The groups PIM for Groups requests name, as the directory seed describes them: whether a group is
// role-assignable (which decides the roles a read asks for) and who owns it or is in it (who may
// read its requests without a role). A request names its group by display name; a group the seed
// does not list is known only from its requests.
// https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroup-list-assignmentschedulerequests?view=graph-rest-1.0
// https://learn.microsoft.com/en-us/graph/api/privilegedaccessgroupassignmentschedulerequest-get?view=graph-rest-1.0

import type { SeedGroup } from '../seed';
import { lower } from './items';

export interface PimGroupFacts {
  readonly id: string;
  readonly isRoleAssignable: boolean;
  /** Object ids (lower-cased) of the direct owners and members: "the owner or member of the group". */
  readonly ownersAndMembers: ReadonlySet<string>;
}

export class PimGroupKinds {
  private readonly byName = new Map<string, PimGroupFacts>();
  private readonly byId = new Map<string, PimGroupFacts>();

  /** Replaces every group. */
  load(groups: readonly SeedGroup[]): void {
    this.byName.clear();
    this.byId.clear();
    for (const g of groups) {
      const facts: PimGroupFacts = {
        id: g.id,
        isRoleAssignable: g.isRoleAssignable ?? false,
        // Direct only: the page says "owner or member of the group", and a nested member is not
        // shown to be one (stricter than counting nesting).
        ownersAndMembers: new Set([...(g.owners ?? []), ...g.members].map(lower)),
      };
      this.byName.set(lower(g.displayName), facts);
      this.byId.set(lower(g.id), facts);
    }
  }

  named(displayName: string): PimGroupFacts | undefined {
    return this.byName.get(lower(displayName));
  }

  withId(id: string): PimGroupFacts | undefined {
    return this.byId.get(lower(id));
  }
}
