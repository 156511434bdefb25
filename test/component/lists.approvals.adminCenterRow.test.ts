// A `my approvals` row for a PIM extension or renewal request has no buttons: Microsoft Graph cannot
// decide those ("Approval for extend and renew requests is currently not supported by the
// Microsoft Graph API",
// https://learn.microsoft.com/en-us/entra/id-governance/privileged-identity-management/pim-approval-workflow).
// Nothing was asked or attempted for such a row, so it says it has no Approve or Deny and where to
// decide it, not that something "is sent" or not. The seed's own extension and renewal requests
// are used, as a newcomer sees them in the sandbox.

import { strict as assert } from 'node:assert';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { Rig } from './botRig';
import { ListContent, buttonsOf, listSession, pageButtons, rowsOf } from './listSession';

const text = (x: unknown): string => JSON.stringify(x);
const seed = loadDemoSeed();
const undecidable = seed.roleRequests.filter((q) => q.action === 'selfExtend' || q.action === 'selfRenew');

describe('my approvals: an extension or renewal request’s row', () => {
  let r: Rig;
  const { list, press } = listSession((rig) => {
    r = rig;
  });

  /** Every row of `my approvals`, its pages followed with "More" (newest first: these are old). */
  async function allRows(): Promise<ReturnType<typeof rowsOf>> {
    const megan = r.user(0);
    const first = await list(megan, 'my approvals');
    const card = first.card;
    let content = first.content;
    const rows = [...rowsOf(content)];
    for (let page = 0; page < 5; page++) {
      const more = pageButtons(content).find((a) => a.title === 'More');
      if (!more) break;
      const next: { value: ListContent } = await press(megan, card.id!, more.data as Record<string, unknown>);
      content = next.value;
      rows.push(...rowsOf(content));
    }
    return rows;
  }

  it('says it has no Approve or Deny and where to decide it, not that nothing "is sent"', async () => {
    assert.equal(undecidable.length, 2, 'the seed has an extension and a renewal request');
    const rows = await allRows();
    for (const q of undecidable) {
      const row = rows.find((x) => text(x).includes(q.id));
      assert.ok(row, `${q.id} is listed`);
      assert.deepEqual(buttonsOf(row), []);
      const said = text(row);
      assert.doesNotMatch(said, /is sent|was sent|not sent/, said);
      assert.match(
        said,
        /cannot be approved or denied through Microsoft Graph, so Governance Bot offers no Approve or Deny for them\./,
      );
      assert.match(said, /Approve or deny it in the Microsoft Entra admin center/);
    }
  });

  it('a typed decision on one is refused unsent, and says so', async () => {
    const { sent } = await r.message(r.user(0), `approve role-request ${undecidable[0]!.id} Fine`);
    assert.match(text(sent), /your decision was not sent/);
    assert.equal(r.tenant.graphRequests().filter((q) => q.method === 'PATCH').length, 0);
  });
});
