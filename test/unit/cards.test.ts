import { strict as assert } from 'node:assert';
import { GRAMMAR, parseCommand, usageOf } from '../../src/bot/commands';
import { askForHelp } from '../../src/bot/personalChat';
import { createReplyCards } from '../../src/bot/replyCards';
import { renderCard } from '../../src/cards/render';
import {
  BadInputError,
  DecidedElsewhereError,
  DomainError,
  ERROR_CODES,
  InvalidStateError,
  NotAvailableInCloudError,
  NotFoundError,
  NotLicensedError,
  NotPermittedError,
  SignInRequiredError,
  ThrottledError,
  UpstreamError,
} from '../../src/domain/errors';
import { Outcome } from '../../src/domain/governance';
import { CATALOG, OPERATION_NAMES, Target } from '../../src/domain/operations';
import { loadDemoSeed } from '../../src/sandbox/seed';
import { libraryProblems } from './cardsTeams.cardWalk';
import { buttonsOf } from '../fixtures/cardButtons';

const ID = '95c690fb-3eb3-4942-a03f-4524aed6f31e';
const graph = { status: 400, requestId: 'req-123', errorCode: 'X' };

function target(op: (typeof OPERATION_NAMES)[number]): Target {
  const ids = Object.fromEntries(CATALOG[op].idNames.map((n) => [n, ID]));
  return op === 'resumeTask' ? { operation: op, ids, decision: 'failed' } : { operation: op, ids };
}

const errorsByCode: Record<(typeof ERROR_CODES)[number], DomainError> = {
  SIGN_IN_REQUIRED: new SignInRequiredError('x', 'consent'),
  BAD_INPUT: new BadInputError('requestId must be a GUID.'),
  NOT_PERMITTED: new NotPermittedError('x', { ...graph, status: 403 }),
  NOT_FOUND: new NotFoundError('x', { ...graph, status: 404 }),
  INVALID_STATE: new InvalidStateError('x', 'Provisioned', graph),
  DECIDED_ELSEWHERE: new DecidedElsewhereError('x', 'failed', 'completed', null, '2026-07-01T10:42:00Z', graph),
  NOT_AVAILABLE_IN_CLOUD: new NotAvailableInCloudError('x', 'usgov'),
  NOT_LICENSED: new NotLicensedError('x', { ...graph, status: 403, errorCode: 'NoLicense' }),
  THROTTLED: new ThrottledError('x', 7.2, { ...graph, status: 429 }),
  UPSTREAM: new UpstreamError('Microsoft Graph failed (HTTP 503); the action may or may not have taken effect.', graph),
};

// adaptivecards' lib/ build does not load in Node (extensionless ESM imports); its dist/ UMD
// build is the same parser and needs no DOM to parse and validate.

function text(card: { content?: unknown }): string {
  assert.deepEqual(libraryProblems(card.content), [], 'the Adaptive Cards library accepts the card');
  const s = JSON.stringify(card.content);
  assert.doesNotMatch(s, /\$\{/, 'no unbound expression');
  assert.equal((card.content as { version: string }).version, '1.5');
  return s;
}

describe('cards', () => {
  const cards = createReplyCards({ cloud: 'global', examples: null });

  it('renders a success card for every operation', () => {
    for (const op of OPERATION_NAMES) {
      const outcome: Outcome = {
        ok: true,
        target: target(op),
        graph: { status: 204, requestId: 'req-9' },
        correlationId: 'corr-1',
        confirmedByRead: false,
      };
      const reply = cards.outcome(outcome, 'Megan Bowen');
      const t = text(reply.attachment);
      assert.match(t, /Megan Bowen/);
      assert.match(t, /req-9/);
      assert.ok(t.includes(ID));
      assert.ok(reply.summary.length > 0 && reply.summary.length <= 120 && !reply.summary.includes('\n'));
    }
    const rejected = cards.outcome(
      {
        ok: true,
        target: target('resumeTask'),
        graph: { status: 204, requestId: null },
        correlationId: 'c',
        confirmedByRead: true,
      },
      undefined,
    );
    assert.match(text(rejected.attachment), /Rejected the custom task/);
    assert.match(text(rejected.attachment), /confirmed it took effect/);
  });

  it('renders an error card for every code and every operation, naming the next step', () => {
    for (const op of OPERATION_NAMES) {
      const spec = CATALOG[op];
      for (const code of ERROR_CODES) {
        const reply = cards.outcome(
          { ok: false, target: target(op), error: errorsByCode[code], correlationId: 'corr-2' },
          undefined,
        );
        const t = text(reply.attachment);
        assert.match(t, /What to do next/);
        assert.ok(reply.summary.length > 0 && reply.summary.length <= 120);
        if (code === 'NOT_PERMITTED') {
          assert.ok(t.includes(spec.permission.least), `${op} permission`);
          assert.ok(t.includes(spec.role), `${op} role`);
        }
        if (code === 'INVALID_STATE') assert.match(t, /is Provisioned/);
        if (code === 'THROTTLED') assert.match(t, /Try again in 8 s/);
        if (code === 'NOT_FOUND') assert.match(t, /no longer exists/);
        if (code === 'NOT_AVAILABLE_IN_CLOUD') assert.match(t, /US Government L4/);
        if (code === 'SIGN_IN_REQUIRED') assert.match(t, /consent/);
        if (code === 'UPSTREAM') assert.match(t, /may or may not/);
        if (code === 'DECIDED_ELSEWHERE') {
          assert.match(t, /finished as failed at 10:42 UTC on 2026-07-01, not as \\"completed\\"/);
          assert.match(t, /does not say who/);
        }
        if (errorsByCode[code].graph.requestId) assert.match(t, /req-123/);
      }
    }
  });

  it('help lists every command; sandbox examples use the demo ids', () => {
    const plain = text(cards.help().attachment);
    for (const rule of GRAMMAR) assert.ok(plain.includes(usageOf(rule)), usageOf(rule));
    assert.match(plain, /00000000-0000-0000-0000-000000000000/);
    const ex = loadDemoSeed().examples;
    const sandbox = text(createReplyCards({ cloud: 'global', examples: ex }).help().attachment);
    assert.ok(sandbox.includes(`cancel role-request ${ex.roleRequestId}`));
    assert.match(sandbox, /simulated tenant/);
    const gov = text(createReplyCards({ cloud: 'usgov', examples: null }).help().attachment);
    assert.match(gov, /not offered in US Government L4/);
  });

  it('keeps user text that looks like an expression from breaking a card', () => {
    const reply = cards.usage(
      { problem: '"${oops}" is not a command I know.', usage: 'help\nsign out' },
      'Type "help" to see every command.',
    );
    assert.deepEqual(libraryProblems(reply.attachment.content), []);
    // Shown exactly as typed: templating binds data literally (cardsTeams.templating.test.ts).
    assert.ok(JSON.stringify(reply.attachment.content).includes('\\"${oops}\\" is not a command I know.'));
    assert.throws(() => renderCard('info', { title: 'x' } as never), /^Error: Card info left \$\{text\} unbound\.$/);
    // Outside text holding "${" is no expression the card left: it binds without complaint.
    assert.doesNotThrow(() => renderCard('info', { title: '${x}', text: 'a ${b} c' }));
  });

  it('renders notification cards with Action.Execute buttons and Action.Submit fallbacks, and their settled form', () => {
    for (const op of OPERATION_NAMES) {
      const open = cards.item(target(op), { text: 'Waiting for you', settled: false });
      const t = text(open.attachment);
      assert.match(t, /"type":"Action\.Execute"/);
      assert.match(t, /"fallback":\{"type":"Action\.Submit"/);
      assert.match(
        t,
        op === 'resumeTask'
          ? /"title":"Approve".*"title":"Reject"/
          : op.startsWith('decide')
            ? /"title":"Approve".*"title":"Deny"/
            : /"title":"Cancel"/,
      );
      const done = cards.item(target(op), { text: 'Cancelled by Megan Bowen at 10:42 UTC.', settled: true });
      // Settled: no button anywhere on the card (and no empty ActionSet left behind).
      assert.deepEqual(buttonsOf(done.attachment.content), []);
      assert.doesNotMatch(text(done.attachment), /"type":"Action\.|"ActionSet"/);
    }
    const withNotice = cards.item(target('cancelRoleRequest'), {
      text: 'x',
      notice: 'Not permitted',
      noticeStyle: 'attention',
      settled: false,
    });
    assert.match(text(withNotice.attachment), /Not permitted/);
  });

  it('names who decided first when Graph says so', () => {
    const error = new DecidedElsewhereError('x', 'Denied', 'approve', 'Adele Vance', null, graph);
    const t = text(
      cards.outcome({ ok: false, target: target('cancelRoleRequest'), error, correlationId: 'c' }, undefined)
        .attachment,
    );
    assert.match(t, /Someone else decided first/);
    assert.match(t, /finished as Denied by Adele Vance, not as/);
    assert.doesNotMatch(t, /does not say who/);
  });

  it('tells an approver who denied their stage and now approves it that approve was never applied, not "again"', () => {
    const error = new DecidedElsewhereError(
      'x',
      'Denied',
      'approve',
      'Megan Bowen',
      '2026-03-02T09:05:00Z',
      graph,
      'afterRefusal',
      true,
    );
    const t = text(
      cards.outcome({ ok: false, target: target('decideAccessPackageApproval'), error, correlationId: 'c' }, undefined)
        .attachment,
    );
    assert.match(t, /You already decided this/);
    assert.match(t, /Denied by you/);
    // Their decision was Deny: "approve ... not applied again" says an approval was applied once.
    assert.doesNotMatch(t, /applied again/);
  });

  // Adaptive Cards render a Markdown subset (bold, italic, lists, links) in TextBlock, while a
  // TextRun inside a RichTextBlock is plain text: "Text to display. Markdown is not supported."
  // https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/text-features
  // https://learn.microsoft.com/en-us/adaptive-cards/schema-explorer/text-run
  it('quotes the user text of a usage card as plain text, never Markdown', () => {
    const typed = 'cancel [here](https://x.example) **now** _please_';
    const parsed = parseCommand(typed);
    assert.ok(parsed.kind === 'bad');
    const content = cards.usage(parsed, askForHelp(undefined)).attachment.content;
    text({ content });
    const elements: Array<Record<string, unknown>> = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        elements.push(v as Record<string, unknown>);
        Object.values(v).forEach(walk);
      }
    };
    walk(content);
    const quoting = elements.filter((e) => typeof e.text === 'string' && e.text.includes('[here]('));
    assert.ok(quoting.length > 0, 'the card quotes what was typed');
    for (const e of quoting) assert.equal(e.type, 'TextRun', `user text sits in a ${String(e.type)}`);
    const inMarkdown = elements.filter(
      (e) => e.type === 'TextBlock' && typeof e.text === 'string' && e.text.includes(parsed.problem),
    );
    assert.deepEqual(inMarkdown, [], 'no TextBlock renders the user text as Markdown');
  });

  it('renders sign-in problems and info cards', () => {
    for (const reason of ['consent', 'mfa', 'expired', 'unknown'] as const) {
      const reply = cards.signInProblem(new SignInRequiredError('x', reason), target('cancelRoleRequest'));
      assert.match(text(reply.attachment), /Nothing was sent to Microsoft Graph/);
    }
    assert.match(text(cards.info('Signed out', 'done').attachment), /Signed out/);
  });

  it('an expired or revoked sign-in points to the Sign in page, not only to a new silent attempt', () => {
    // AADSTS50173 (grant revoked) and AADSTS700082 (expired): "Have the user sign in again", which
    // Teams' silent SSO with its cached token does not do; the card's Sign in page does.
    // https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes
    const reply = cards.signInProblem(new SignInRequiredError('x', 'expired'), target('cancelRoleRequest'));
    assert.match(text(reply.attachment), /Select Sign in/);
  });
});
