import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { commandTableMarkdown } from '../../src/bot/commandDocs';
import { CONFIG_KEYS } from '../../src/config';
import { GovernanceService } from '../../src/domain/governance';
import { permissionTableMarkdown } from '../../src/domain/permissionTable';
import { GraphGateway } from '../../src/graph/graphGateway';
import { LIST_BUDGET_MS, READ_AGAIN_AT_ONCE } from '../../src/graph/myWorkReader';
import { ACCESS_CANCELLABLE_STATES, PIM_CANCELLABLE_STATUSES, SOURCES } from '../../src/graph/myWorkSources';
import { auditTo } from '../../src/log';
import { projectRoot } from '../../src/paths';
import { UNCONFIRMED_ALTERNATIVES } from '../../src/sandbox/unconfirmed';
import { recordingLogger } from '../fixtures/recordingLogger';

const readme = fs.readFileSync(path.join(projectRoot(), 'README.md'), 'utf8');

function between(start: string, end: string): string {
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  assert.ok(a >= 0 && b > a, `README lacks ${start} … ${end}`);
  return readme.slice(a + start.length, b).trim();
}

describe('README', () => {
  it('shows the permission table generated from the operation catalog', () => {
    const expected = permissionTableMarkdown();
    assert.equal(
      between('<!-- permissions:start -->', '<!-- permissions:end -->'),
      expected,
      `regenerate with npm run build && node scripts/generate.js:\n${expected}`,
    );
  });

  it('shows the command table generated from the grammar', () => {
    const expected = commandTableMarkdown();
    assert.equal(
      between('<!-- commands:start -->', '<!-- commands:end -->'),
      expected,
      `regenerate with npm run build && node scripts/generate.js:\n${expected}`,
    );
  });

  it('lists every fact Microsoft has not confirmed, with what the bot does', () => {
    const section = between('### Facts Microsoft has not confirmed', '## Configuration');
    for (const key of Object.keys(UNCONFIRMED_ALTERNATIVES)) {
      assert.ok(section.includes(`(\`${key}\`)`), `README lacks the unconfirmed fact ${key}`);
    }
  });

  // The access package approval read's pages disagree on whether an approver also needs an
  // entitlement management role (the approval get page's Tip names Catalog reader and others; the
  // approvalStage update page names none): both readings and their pages stay on record.
  it('records the approval read role that the pages disagree on, with both pages', () => {
    const section = between('### Facts Microsoft has not confirmed', '## Configuration');
    const row = section.split('\n').find((l) => l.includes('needs an entitlement management role')) ?? '';
    for (const page of [
      'https://learn.microsoft.com/en-us/graph/api/approval-get?view=graph-rest-1.0',
      'https://learn.microsoft.com/en-us/graph/api/approval-get?view=graph-rest-beta',
      'https://learn.microsoft.com/en-us/graph/api/approvalstage-update?view=graph-rest-1.0',
    ])
      assert.ok(row.includes(page), `the row cites ${page}`);
    for (const role of ['Catalog reader', 'Identity Governance Administrator']) assert.ok(row.includes(role), role);
  });

  it('documents every configuration variable', () => {
    const table = between('<!-- config:start -->', '<!-- config:end -->');
    for (const key of CONFIG_KEYS) assert.ok(table.includes(`\`${key}\``), `README configuration table lacks ${key}`);
  });

  it('shows the audit line and the graph.exchange line with the fields the bot writes', async () => {
    // The lines as app.ts writes them: the audit through auditTo, each Graph exchange through the
    // gateway's onExchange, both on the one logger.
    const { logger, lines } = recordingLogger();
    const gateway = new GraphGateway({
      graphEndpoint: 'https://127.0.0.1:9443',
      fetch: () =>
        Promise.resolve(
          new Response(null, {
            status: 204,
            headers: { 'request-id': 'r-1', date: 'Sun, 29 Nov 2026 16:02:22 GMT', 'x-ms-ags-diagnostic': '{}' },
          }),
        ),
      onExchange: (exchange) => logger.info({ event: 'graph.exchange', ...exchange }, 'Microsoft Graph exchange'),
    });
    const service = new GovernanceService({
      cloud: 'global',
      graph: gateway,
      audit: auditTo(logger),
      newId: () => 'c1',
    });
    const target = {
      operation: 'cancelRoleRequest',
      ids: { requestId: '95c690fb-3eb3-4942-a03f-4524aed6f31e' },
    } as const;
    await service.perform(target, { aadObjectId: 'u1', getToken: () => Promise.resolve('not-a-jwt') });
    const written = (event: string): string[] =>
      Object.keys(lines.find((l) => l.event === event) ?? assert.fail(`no ${event} line`)).sort();

    const audit = between('## Audit log', '## How a command runs');
    const example = /```json\n([\s\S]*?)```/.exec(audit)?.[1] ?? assert.fail('the Audit log has no example');
    assert.deepEqual(Object.keys(JSON.parse(example) as object).sort(), written('governance.action'));

    const listed = /`\{"event":"graph\.exchange",([^`]*)\}`/.exec(audit)?.[1] ?? assert.fail('no graph.exchange line');
    const own = ['level', 'time', 'service', 'msg'];
    for (const key of own) assert.ok(audit.includes(`\`${key}\``), `the Audit log does not name the log's own ${key}`);
    const keys = ['event', ...[...listed.matchAll(/"(\w+)"/g)].map((m) => m[1]!), ...own].sort();
    assert.deepEqual(keys, written('graph.exchange'));
  });

  it('names every state my requests reads, its number of reads and the list deadline', () => {
    const mine = between('`my requests` lists every request of yours', 'The Teams command menu');
    for (const state of [...ACCESS_CANCELLABLE_STATES, ...PIM_CANCELLABLE_STATUSES]) {
      assert.ok(mine.includes(`\`${state}\``), `README's my requests lacks ${state}`);
    }
    assert.ok(
      mine.includes(`(${SOURCES.requests.length} reads)`),
      `README's my requests lacks (${SOURCES.requests.length} reads)`,
    );
    assert.ok(mine.includes(`one ${LIST_BUDGET_MS / 1000} s deadline`), 'README names another list deadline');
    const words: Record<number, string> = { 2: 'two', 3: 'three', 4: 'four', 5: 'five', 6: 'six', 8: 'eight' };
    assert.ok(mine.includes(`${words[READ_AGAIN_AT_ONCE]} at a time`), 'README names another number of reads at once');
  });

  it("names every `refused` value a refused click's audit line carries", () => {
    const start = readme.indexOf('with `refused` saying why');
    assert.ok(start >= 0, "README lacks the audit line's `refused` values");
    const said = readme.slice(start, readme.indexOf('\n\n', start));
    const written = new Set<string>();
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const at = path.join(dir, e.name);
        if (e.isDirectory()) walk(at);
        else if (e.name.endsWith('.ts'))
          for (const m of fs.readFileSync(at, 'utf8').matchAll(/\{ refused: '(\w+)' \}/g)) written.add(m[1]!);
      }
    };
    walk(path.join(projectRoot(), 'src'));
    assert.ok(written.size >= 5, `found the values the code writes: ${[...written].join(', ')}`);
    for (const value of written) assert.ok(said.includes(`\`${value}\``), `README lacks the refused value ${value}`);
  });

  it('keeps the two commands', () => {
    assert.match(readme, /npm ci && npm start/);
    assert.match(readme, /npm test/);
  });
});
