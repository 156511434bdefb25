import { strict as assert } from 'node:assert';
import { CATALOG } from '../../src/domain/operations';
import { permissionTableMarkdown } from '../../src/domain/permissionTable';

/** The cells of the README permission table's row for an operation, by its title. */
function rowOf(title: string): string[] {
  const row = permissionTableMarkdown()
    .split('\n')
    .find((l) => l.startsWith(`| ${title} |`));
  assert.ok(row, `the table has a row for ${title}`);
  return row.split(' | ');
}

describe('the permission table: who reads a PIM for Groups request without a role', () => {
  // "For delegated access using work or school accounts, the signed-in user must be an owner or
  // member of the group or be assigned a supported Microsoft Entra role"
  // (https://learn.microsoft.com/graph/api/privilegedaccessgroupassignmentschedulerequest-get?view=graph-rest-1.0
  // and https://learn.microsoft.com/graph/api/privilegedaccessgroup-list-assignmentschedulerequests?view=graph-rest-1.0).
  const spec = CATALOG.cancelGroupRequest;
  const anyonesRead = (): string => rowOf(spec.title)[5] ?? '';

  it('comes from the catalog entry of the read', () => {
    assert.equal(spec.read.withoutRole, 'the group’s owners and members');
  });

  it("says the group's owners and members need no directory role for the read of anyone's request", () => {
    const cell = anyonesRead();
    assert.ok(cell.startsWith(`\`GET /v1.0${spec.read.path}\``), cell);
    assert.ok(cell.includes('role: none for the group’s owners and members; otherwise Global Reader,'), cell);
    // The roles stay in full for everyone else.
    assert.ok(cell.endsWith(`otherwise ${spec.read.role}`), cell);
  });

  it('leaves the role column of reads the docs give no such way in as it was', () => {
    for (const name of ['cancelRoleRequest', 'cancelAccessPackageRequest'] as const) {
      const cell = rowOf(CATALOG[name].title)[5] ?? '';
      assert.ok(cell.endsWith(`; role: ${CATALOG[name].read.role}`), cell);
      assert.ok(!cell.includes('owners and members'), cell);
    }
  });
});
