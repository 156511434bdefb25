// Walks every operation catalog entry and checks that everything derived from it contains it: the
// grammar, the help card (with working sandbox examples), the card buttons, the Teams manifest's
// commands, the README tables, the notification event kinds and the gateway's request line. A new
// entry that one of them misses fails here, not in a user's chat.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buttonData, parseButtonData } from '../../src/bot/cardActions';
import { commandTableMarkdown, manifestCommands } from '../../src/bot/commandDocs';
import { GRAMMAR, parseCommand, usageOf } from '../../src/bot/commands';
import { buttonsFor, createReplyCards, exampleOf } from '../../src/bot/replyCards';
import { doneText } from '../../src/cards/outcomeWording';
import { permissionTableMarkdown } from '../../src/domain/permissionTable';
import {
  CATALOG,
  NOTIFICATION_KINDS,
  OPERATION_NAMES,
  OperationSpec,
  Target,
  decisionNames,
  isGuid,
  operationOfKind,
  stateIn,
} from '../../src/domain/operations';
import { GraphGateway } from '../../src/graph/graphGateway';
import { EVENT_KINDS } from '../../src/notifications/events';
import { projectRoot } from '../../src/paths';
import { loadDemoSeed } from '../../src/sandbox/seed';

const ID = '95c690fb-3eb3-4942-a03f-4524aed6f31e';
const readme = fs.readFileSync(path.join(projectRoot(), 'README.md'), 'utf8');
const manifest = fs.readFileSync(path.join(projectRoot(), 'manifest', 'manifest.json'), 'utf8');

function idsOf(spec: OperationSpec): Record<string, string> {
  return Object.fromEntries(spec.idNames.map((n) => [n, ID]));
}

/** Every target an entry can be asked for: one per decision. */
function targetsOf(spec: OperationSpec): Target[] {
  return spec.decisions.map((d) =>
    d.name === null
      ? { operation: spec.name, ids: idsOf(spec) }
      : { operation: spec.name, ids: idsOf(spec), decision: d.name },
  );
}

/** The operations on one's own item: a requester cancelling their own request. */
const OWN_REQUEST_CANCELS: readonly string[] = [
  'cancelRoleRequest',
  'cancelGroupRequest',
  'cancelAccessPackageRequest',
];

describe('operation catalog: every entry reaches everything derived from it', () => {
  const seed = loadDemoSeed();
  const sandboxHelp = JSON.stringify(createReplyCards({ cloud: 'global', examples: seed.examples }).help().attachment);
  const plainHelp = JSON.stringify(createReplyCards({ cloud: 'global', examples: null }).help().attachment);
  const examples: Readonly<Record<string, string>> = seed.examples;

  for (const name of OPERATION_NAMES) {
    const spec = CATALOG[name];
    describe(name, () => {
      const rules = GRAMMAR.filter((r) => r.operation === name);

      it('has well-formed decisions: one unnamed (a cancel) or all named, each with proof', () => {
        const named = decisionNames(spec);
        if (named) {
          assert.ok(spec.decisions.every((d) => d.name !== null));
          assert.equal(new Set(named).size, named.length);
        } else assert.equal(spec.decisions.length, 1);
        for (const d of spec.decisions) {
          assert.ok(d.provenBy.length > 0 && d.button.length > 0 && d.doneWord.length > 0);
          for (const s of d.provenBy) assert.ok(!stateIn(s, spec.allowedStates), `${s} proves and allows`);
        }
        for (const other of spec.decisions) {
          for (const d of spec.decisions) {
            if (d !== other) assert.ok(!d.provenBy.some((s) => stateIn(s, other.provenBy)), 'one state, one proof');
          }
        }
      });

      it('is in the grammar, and every decision can be typed', () => {
        assert.ok(rules.length > 0);
        for (const rule of rules) assert.deepEqual(rule.ids, spec.idNames);
        for (const target of targetsOf(spec)) {
          const typed = rules.some((rule) => {
            const oneOf = typeof rule.decision === 'object' ? rule.decision.oneOf : null;
            const tail = oneOf && target.decision ? ` ${target.decision}` : '';
            // A decision that takes a justification gets one (a deny requires it).
            const why = rule.justification ? ' Reviewed with the team' : '';
            const asked = rule.justification ? { ...target, justification: 'Reviewed with the team' } : target;
            const parsed = parseCommand(`${rule.words.join(' ')} ${spec.idNames.map(() => ID).join(' ')}${tail}${why}`);
            return parsed.kind === 'operation' && JSON.stringify(parsed.target) === JSON.stringify(asked);
          });
          assert.ok(typed, `no command asks for ${JSON.stringify(target)}`);
        }
      });

      it('is on the help card, with sandbox examples that name real demo ids', () => {
        for (const rule of rules) {
          assert.ok(plainHelp.includes(usageOf(rule)), usageOf(rule));
          assert.ok(sandboxHelp.includes(exampleOf(rule, examples)), exampleOf(rule, examples));
        }
        for (const idName of spec.idNames) {
          const key = spec.demoExample[idName];
          assert.ok(key !== undefined && isGuid(examples[key]), `demo example for ${idName}`);
        }
        for (const command of [spec.command, ...spec.decisions.map((d) => d.command)]) {
          for (const [idName, key] of Object.entries(command?.demoExample ?? {})) {
            assert.ok(spec.idNames.includes(idName) && isGuid(examples[key]), `${key}, for ${idName}`);
          }
        }
      });

      it('has a button per decision whose data parses back to the same target', () => {
        for (const target of targetsOf(spec)) {
          const buttons = buttonsFor(target);
          assert.deepEqual(
            buttons.map((b) => b.title),
            spec.decisions.map((d) => d.button),
          );
          const button = buttons.find((b) => b.data.decision === (target.decision ?? undefined))!;
          if (button.input === '') assert.deepEqual(parseButtonData(buttonData(target)), { ok: true, target });
          else {
            // A button that asks for a justification: refused without it, and carries what was typed.
            assert.equal(parseButtonData(buttonData(target)).ok, false);
            assert.deepEqual(parseButtonData({ ...buttonData(target), [button.input]: ' Not needed ' }), {
              ok: true,
              target: { ...target, justification: 'Not needed' },
            });
          }
          assert.ok(
            doneText(target).text.startsWith(
              spec.decisions.find((d) => d.name === (target.decision ?? null))!.doneWord,
            ),
          );
        }
      });

      // The manifest menu holds at most 10 commands (manifest schema v1.23), so it offers a chosen
      // few (commandDocs.MANIFEST_MENU); each command it offers is regenerated into manifest.json.
      it('is in the README command table, and in manifest.json when the menu offers it', () => {
        const titles = manifestCommands().map((c) => c.title);
        const table = commandTableMarkdown();
        for (const rule of rules) {
          if (titles.includes(rule.words.join(' '))) {
            assert.ok(manifest.includes(`"title": "${rule.words.join(' ')}"`), 'manifest.json is regenerated');
          }
          assert.ok(table.includes(usageOf(rule).replace(/\|/g, '\\|')));
        }
        assert.ok(readme.includes(table), 'README command table is regenerated');
      });

      it('is in the README permission table with its real method, version and state read', () => {
        const table = permissionTableMarkdown();
        const row = table.split('\n').find((l) => l.startsWith(`| ${spec.title} |`));
        assert.ok(row, spec.title);
        assert.ok(row.includes(`\`${spec.method} /${spec.version}${spec.path}\` → ${spec.successStatus}`));
        assert.ok(row.includes(`GET /${spec.read.version}${spec.read.path}`));
        assert.ok(row.includes(spec.permission.least) && row.includes(spec.read.permission));
        const self = spec.selfService;
        if (self) {
          assert.ok(row.includes(`GET /${self.read.version}${self.read.path}`), 'the self-service read');
          assert.ok(row.includes(self.permission.least) && row.includes(self.read.permission));
        }
        assert.ok(readme.includes(table), 'README permission table is regenerated');
      });

      // https://learn.microsoft.com/graph/api/unifiedroleassignmentschedulerequest-filterbycurrentuser?view=graph-rest-1.0
      // and https://learn.microsoft.com/graph/api/accesspackageassignmentrequest-filterbycurrentuser?view=graph-rest-1.0
      it('reads one’s own item with a filterByCurrentUser function its `on` names, filtered by a catalog id', () => {
        const self = spec.selfService;
        if (!self) {
          // Only the cancels of one's own requests act on one's own item; missing there, this test
          // would pass while the cancel never read whether the request is the caller's.
          assert.ok(!OWN_REQUEST_CANCELS.includes(name), `${name} has no self-service read`);
          return;
        }
        assert.ok(self.read.path.endsWith(`/filterByCurrentUser(on='${self.read.on}')`), self.read.path);
        assert.ok(spec.idNames.includes(self.read.idName));
        assert.ok(!self.read.path.includes('{'), 'the function takes no id in its path');
      });

      it('names a notification kind that the intake accepts and maps back to it', () => {
        if (spec.notificationKind === null) return;
        assert.ok((EVENT_KINDS as readonly string[]).includes(spec.notificationKind));
        assert.equal(operationOfKind(spec.notificationKind as (typeof NOTIFICATION_KINDS)[number]), name);
      });
    });
  }

  it('derives exactly the grammar, the event kinds and nothing else', () => {
    assert.deepEqual(
      [...new Set(GRAMMAR.map((r) => r.operation))],
      [...OPERATION_NAMES],
      'every operation, in catalog order',
    );
    assert.deepEqual(
      [...EVENT_KINDS],
      OPERATION_NAMES.flatMap((n) => (CATALOG[n].notificationKind ? [CATALOG[n].notificationKind] : [])),
    );
  });

  it("the gateway sends each entry's own method and version (PATCH and beta included)", async () => {
    const seen: Array<{ method: string; url: string }> = [];
    const gateway = new GraphGateway({
      graphEndpoint: 'https://graph.example',
      fetch: async (input, init) => {
        seen.push({ method: init?.method ?? 'GET', url: String(input) });
        return new Response(init?.method === 'GET' ? '{"status":"PendingApproval"}' : null, {
          status: init?.method === 'GET' ? 200 : 204,
        });
      },
    });
    const token = async () => 'token';
    const target: Target = { operation: 'cancelRoleRequest', ids: { requestId: ID } };
    const mutable = CATALOG as Record<string, OperationSpec>;
    const original = mutable.cancelRoleRequest!;
    // An approval-like entry: PATCH on beta, its state read on v1.0.
    mutable.cancelRoleRequest = {
      ...original,
      method: 'PATCH',
      version: 'beta',
      body: () => ({ reviewResult: 'Deny' }),
    };
    try {
      await gateway.write(target, token);
      await gateway.readState(target, token);
    } finally {
      mutable.cancelRoleRequest = original;
    }
    await gateway.write(target, token);
    assert.deepEqual(
      seen.map((s) => `${s.method} ${new URL(s.url).pathname}`),
      [
        `PATCH /beta/roleManagement/directory/roleAssignmentScheduleRequests/${ID}/cancel`,
        `GET /v1.0/roleManagement/directory/roleAssignmentScheduleRequests/${ID}`,
        `POST /v1.0/roleManagement/directory/roleAssignmentScheduleRequests/${ID}/cancel`,
      ],
    );
  });
});
