// Deciding approvals: the grammar (a justification after the id, required for a deny), the PATCH
// body, the beta-only role approvals offered in every cloud, and the card's Deny button that asks for a
// justification first. The approver's view of an approval: approvalView.test.ts.

import { strict as assert } from 'node:assert';
import { parseButtonData } from '../../src/bot/cardActions';
import { parseCommand } from '../../src/bot/commands';
import { itemCard } from '../../src/bot/replyCards';
import { JUSTIFICATION_MAX_LENGTH } from '../../src/domain/catalog/approvals';
import { AuditLine, GovernanceService, GraphPort } from '../../src/domain/governance';
import { CATALOG, Target } from '../../src/domain/operations';
import { parseEvent } from '../../src/notifications/events';
import { libraryProblems } from './cardsTeams.cardWalk';
import { buttonsOf } from '../fixtures/cardButtons';

const ID = '95c690fb-3eb3-4942-a03f-4524aed6f32a';

describe('approvals: grammar', () => {
  it('approve takes an optional justification; deny requires one', () => {
    assert.deepEqual(parseCommand(`approve role-request ${ID}`), {
      kind: 'operation',
      target: { operation: 'decideRoleApproval', ids: { requestId: ID }, decision: 'approve' },
    });
    assert.deepEqual(parseCommand(`Approve access-request ${ID}   Checked with  the manager`), {
      kind: 'operation',
      target: {
        operation: 'decideAccessPackageApproval',
        ids: { requestId: ID },
        decision: 'approve',
        justification: 'Checked with the manager',
      },
    });
    const deny = parseCommand(`deny group-request ${ID}`);
    assert.equal(deny.kind, 'bad');
    assert.match(deny.kind === 'bad' ? deny.problem : '', /justification is required/);
    assert.match(deny.kind === 'bad' ? deny.usage : '', /^deny group-request <requestId> <justification>$/);
    const long = parseCommand(`deny group-request ${ID} ${'x'.repeat(JUSTIFICATION_MAX_LENGTH + 1)}`);
    assert.equal(long.kind, 'bad');
    assert.equal(parseCommand(`deny group-request not-a-guid because`).kind, 'bad');
    assert.deepEqual(parseCommand('my approvals'), { kind: 'myApprovals' });
    assert.deepEqual(parseCommand('MY  requests'), { kind: 'myRequests' });
  });

  it('sends reviewResult Approve|Deny with the justification, and only its length reaches the audit', async () => {
    const spec = CATALOG.decideGroupApproval;
    const deny: Target = { operation: spec.name, ids: { requestId: ID }, decision: 'deny', justification: 'Too broad' };
    assert.deepEqual(spec.body(deny), { reviewResult: 'Deny', justification: 'Too broad' });
    assert.deepEqual(spec.body({ ...deny, decision: 'approve', justification: undefined }), {
      reviewResult: 'Approve',
    });
    const audit: AuditLine[] = [];
    const graph: GraphPort = {
      write: async () => ({ status: 204, requestId: 'r-1' }),
      readState: async () => ({ state: 'InProgress', graph: { status: 200, requestId: 'r-0' } }),
    };
    const governance = new GovernanceService({
      cloud: 'global',
      graph,
      audit: (l) => audit.push(l),
      newId: () => 'c-1',
    });
    await governance.perform(deny, { aadObjectId: 'u', getToken: async () => 't' });
    assert.equal(audit[0]?.justificationLength, 'Too broad'.length);
    assert.equal(audit[0]?.decision, 'deny');
    assert.doesNotMatch(JSON.stringify(audit), /Too broad/);
  });

  // The beta pages of the role approval's read and decision list all four clouds, US Government L4
  // and L5 included (national cloud table): beta is not withheld there, only pages that say so are
  // (the beta access package cancel, graph-reference §9).
  // https://learn.microsoft.com/en-us/graph/api/approval-get?view=graph-rest-beta
  // https://learn.microsoft.com/en-us/graph/api/approvalstep-update?view=graph-rest-beta
  it('sends the beta role approvals in the US Government clouds too, as their pages list them', async () => {
    for (const cloud of ['usgov', 'usgovdod'] as const) {
      let writes = 0;
      const graph: GraphPort = {
        write: async () => (writes++, { status: 204, requestId: null }),
        readState: async () => ({ state: null, graph: { status: 200, requestId: null } }),
      };
      const governance = new GovernanceService({ cloud, graph, audit: () => undefined, newId: () => 'c' });
      const actor = { aadObjectId: 'u', getToken: async () => 't' };
      const role = await governance.perform(
        { operation: 'decideRoleApproval', ids: { requestId: ID }, decision: 'approve' },
        actor,
      );
      assert.ok(role.ok, `${cloud}: ${role.ok ? '' : role.error.message}`);
      assert.equal(writes, 1, cloud);
    }
    assert.deepEqual(CATALOG.decideRoleApproval.clouds, ['global', 'usgov', 'usgovdod', 'china']);
  });
});

// https://learn.microsoft.com/en-us/graph/api/resources/approvalstage?view=graph-rest-1.0 (assignedToMe, status, reviewResult)
describe('approvals: the card', () => {
  // https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/input-validation (isRequired, maxLength)
  it('Approve is one click; Deny opens a required, bounded justification box that travels with the action', () => {
    const target: Target = { operation: 'decideAccessPackageApproval', ids: { requestId: ID } };
    const card = itemCard(target, { text: 'Patti Fernandez requested Finance reports.', settled: false });
    const content = card.attachment.content;
    const buttons = buttonsOf<{
      type: string;
      title: string;
      data?: Record<string, unknown>;
      card?: { body: Array<Record<string, unknown>> };
    }>(content);
    assert.deepEqual(libraryProblems(content), []);
    assert.deepEqual(
      buttons.map((a) => [a.type, a.title]),
      [
        ['Action.Execute', 'Approve'],
        ['Action.ShowCard', 'Deny'],
      ],
    );
    const box = buttons[1]!.card!.body[0]!;
    assert.deepEqual([box.type, box.isRequired, box.maxLength], ['Input.Text', true, JUSTIFICATION_MAX_LENGTH]);
    // Teams merges the typed text into the inner action's data under the input's id.
    const inner = buttonsOf<{ data: Record<string, unknown> }>(buttons[1]!.card);
    const data = { ...inner[0]!.data, [String(box.id)]: 'Not this quarter' };
    assert.deepEqual(parseButtonData(data), {
      ok: true,
      target: { ...target, decision: 'deny', justification: 'Not this quarter' },
    });
  });
});

describe('approvals: notification events', () => {
  it('accepts the approval kinds addressed to an approver or a channel; the card offers Approve and Deny', () => {
    for (const [kind, operation, field] of [
      ['roleApproval', 'decideRoleApproval', 'roleName'],
      ['groupApproval', 'decideGroupApproval', 'groupName'],
      ['accessApproval', 'decideAccessPackageApproval', 'accessPackageName'],
    ] as const) {
      const parsed = parseEvent({
        eventId: `apr-${kind}`,
        kind,
        target:
          kind === 'groupApproval'
            ? { channelId: '19:ops@thread.tacv2' }
            : { userId: 'a1b2c3d4-1111-4aaa-8bbb-0000000000a1' },
        requestId: ID.toUpperCase(),
        principalName: 'Patti Fernandez',
        [field]: 'Finance reports',
      });
      assert.ok(parsed.ok, JSON.stringify(parsed));
      assert.deepEqual(parsed.event.item, { operation, ids: { requestId: ID } });
      assert.deepEqual(parsed.event.decisions, ['approve', 'deny']);
      // To a person the card says "your"; to a channel, whose readers are not each an approver, it does not.
      const whose = kind === 'groupApproval' ? "an approver's" : 'your';
      assert.ok(
        parsed.event.text.includes(`Patti Fernandez requested Finance reports. It waits for ${whose} decision.`),
        parsed.event.text,
      );
    }
    const bad = parseEvent({ eventId: 'x', kind: 'roleApproval', target: { userId: 'nope' }, requestId: 'nope' });
    assert.equal(bad.ok, false);
  });
});
