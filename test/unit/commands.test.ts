import { strict as assert } from 'node:assert';
import { GRAMMAR, parseCommand, usageOf } from '../../src/bot/commands';
import { normalizeText } from '../../src/bot/normalizeText';
import { CATALOG } from '../../src/domain/operations';

const W = '4f36da05-5df8-457d-adb3-b132e7b59571';
const T = 'e07dcdb2-0a77-4ee3-8645-3801fbe1cf9f';
const R = '6e1ec336-8d06-4386-a377-79dbab1a2eb6';

function op(text: string) {
  const r = parseCommand(text);
  assert.equal(r.kind, 'operation', `expected an operation for ${JSON.stringify(text)}, got ${JSON.stringify(r)}`);
  return r.kind === 'operation' ? r.target : (null as never);
}

function bad(text: string) {
  const r = parseCommand(text);
  assert.equal(r.kind, 'bad', `expected bad input for ${JSON.stringify(text)}`);
  return r.kind === 'bad' ? r : (null as never);
}

describe('parseCommand', () => {
  it('parses every command of contract §3', () => {
    assert.deepEqual(op(`cancel run ${W} ${R}`), { operation: 'cancelWorkflowRun', ids: { workflowId: W, runId: R } });
    assert.deepEqual(op(`cancel role-request ${R}`), { operation: 'cancelRoleRequest', ids: { requestId: R } });
    assert.deepEqual(op(`cancel group-request ${R}`), { operation: 'cancelGroupRequest', ids: { requestId: R } });
    assert.deepEqual(op(`cancel access-request ${R}`), {
      operation: 'cancelAccessPackageRequest',
      ids: { requestId: R },
    });
    const ids = { workflowId: W, taskId: T, taskProcessingResultId: R };
    assert.deepEqual(op(`resume task ${W} ${T} ${R} completed`), {
      operation: 'resumeTask',
      ids,
      decision: 'completed',
    });
    assert.deepEqual(op(`resume task ${W} ${T} ${R} failed`), {
      operation: 'resumeTask',
      ids,
      decision: 'failed',
    });
    assert.deepEqual(op(`approve task ${W} ${T} ${R}`), { operation: 'resumeTask', ids, decision: 'completed' });
    assert.deepEqual(op(`reject task ${W} ${T} ${R}`), { operation: 'resumeTask', ids, decision: 'failed' });
    assert.deepEqual(parseCommand('help'), { kind: 'help' });
    assert.deepEqual(parseCommand('sign out'), { kind: 'signOut' });
  });

  // Contract §6: the audit line's targetId is the command's last id, as typed; keys and Graph's URL
  // take ids lower-cased (GUIDs are case-insensitive), so the target keeps both.
  it('ignores keyword case and extra white space, and lower-cases ids, keeping them as typed too', () => {
    assert.deepEqual(op(`  CANCEL   Role-Request\t${R.toUpperCase()}  `), {
      operation: 'cancelRoleRequest',
      ids: { requestId: R },
      typedIds: { requestId: R.toUpperCase() },
    });
    assert.equal(op(`cancel role-request ${R}`).typedIds, undefined, 'typed as kept: nothing twice');
    assert.equal(op(`Resume TASK ${W} ${T} ${R} COMPLETED`).decision, 'completed');
    assert.deepEqual(parseCommand('  HELP '), { kind: 'help' });
    assert.deepEqual(parseCommand('Sign   Out'), { kind: 'signOut' });
  });

  it('strips mentions and Teams HTML', () => {
    assert.deepEqual(op(`<at>Governance Bot</at> cancel role-request ${R}`).ids, { requestId: R });
    assert.deepEqual(op(`<p><at>Governance&nbsp;Bot</at>&nbsp;cancel&nbsp;group-request ${R}</p>`).ids, {
      requestId: R,
    });
    assert.equal(normalizeText('a&amp;b &lt;x&gt; &#65;&#x42;'), 'a&b <x> AB');
  });

  // Users send rich text and pictures (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/build-conversational-capability):
  // an inline picture or emoji comes as an <img> whose attributes (a long src, itemtype, style) run
  // past 200 characters, and it stayed in the text as words (a justification quoted it). Still
  // linear on a long run of "<" with no ">".
  it('strips a picture tag whose attributes are long', () => {
    const img = `<img alt="x" src="https://as-api.asm.skype.com/v1/objects/0-ea-d5-${'f'.repeat(32)}/views/imgo" id="x_0-ea-d5-${'f'.repeat(32)}" itemscope="" itemtype="http://schema.skype.com/AMSImage" style="width:375px; height:250px">`;
    assert.ok(img.length > 200);
    assert.equal(normalizeText(`approve role-request ${R} ok ${img}`), `approve role-request ${R} ok`);
    const started = process.hrtime.bigint();
    normalizeText('<a '.repeat(10_000));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(ms < 500, `${ms} ms`);
  });

  // Contract §3: the bot's mention is stripped; anyone else's is a word like any other, so a command
  // followed by it is refused (trailing words), not run. Teams' mention text and entities:
  // https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations
  it("keeps another person's mention as a word, so a command followed by it is refused", () => {
    assert.equal(normalizeText('<at>Governance Bot</at> <at>Bot</at> help <at>Adele Vance</at>'), 'help @AdeleVance');
    // Refused as any trailing word is (`… ${R} please`), and named as that word would be.
    const please = bad(`cancel group-request ${R} please`);
    assert.deepEqual(bad(`cancel group-request ${R} <at>Adele Vance</at>`), {
      ...please,
      problem: please.problem.replace('"please"', '"@AdeleVance"'),
    });
    assert.match(bad(`cancel <at>Adele</at> group-request ${R}`).problem, /"cancel @Adele" is not a command/);
  });

  it('refuses non-GUID ids, naming the id and the usage', () => {
    const r = bad('cancel role-request 12345');
    assert.match(r.problem, /requestId must be a GUID/);
    assert.equal(r.usage, 'cancel role-request <requestId>');
    assert.match(bad(`cancel run ${W} not-a-guid`).problem, /runId/);
    assert.match(bad(`cancel role-request ${R}x`).problem, /GUID/);
    assert.match(bad(`cancel role-request ../../${R}`).problem, /GUID/);
  });

  it('refuses a wrong number of values with the closest usage', () => {
    const r = bad(`cancel run ${W}`);
    assert.match(r.problem, /takes 2 ids/);
    assert.equal(r.usage, 'cancel run <workflowId> <runId>');
    assert.match(bad(`cancel role-request ${R} ${R}`).problem, /found 2 values/);
    // Said as a person would: no "0 values", no "1 values".
    assert.equal(
      bad('cancel role-request').problem,
      '"cancel role-request" takes one id (requestId); nothing followed it.',
    );
    assert.match(r.problem, /; I found 1 value\.$/);
    assert.match(bad(`resume task ${W} ${T} ${R}`).problem, /completed\|failed/);
    assert.match(bad(`resume task ${W} ${T} ${R} maybe`).problem, /"completed" or "failed"/);
  });

  it('suggests the commands of a known verb and lists everything for unknown input', () => {
    const r = bad(`cancel request ${R}`);
    assert.match(r.usage, /cancel role-request/);
    assert.match(r.usage, /cancel access-request/);
    assert.doesNotMatch(r.usage, /resume task/);
    const u = bad('please do the thing');
    assert.match(u.problem, /help/);
    for (const rule of GRAMMAR) assert.ok(u.usage.includes(usageOf(rule)));
    bad('');
    bad('   ');
    bad('<at>Governance Bot</at>');
  });

  it('answers a slip of a key or two with the usage of the command it was close to (contract §3)', () => {
    for (const [typed, meant] of [
      // The command as meant with the values typed first (usageHint.test.ts), then its usage.
      [`cancle role-request ${R}`, `cancel role-request ${R}\ncancel role-request <requestId>`],
      [`cancel rolerequest ${R}`, `cancel role-request ${R}\ncancel role-request <requestId>`],
      ['my approval', 'my approvals'],
      ['hlep', 'help'],
      ['sing out', 'sign out'],
      [`deny grop-request ${R} no`, `deny group-request ${R} no\ndeny group-request <requestId> <justification>`],
    ] as const) {
      const r = bad(typed);
      assert.equal(r.usage, meant, typed);
      assert.match(r.problem, /Did you mean/, typed);
    }
    // Tied: a lone misspelt verb is close to every command of that verb, and only to those.
    const verb = bad('cancle');
    assert.equal(verb.usage.split('\n').length, 4);
    assert.ok(verb.usage.split('\n').every((u) => u.startsWith('cancel ')));
    // A command with words after it that it does not take names that, not itself as a guess.
    assert.equal(bad('my approvals now').problem, '"my approvals" takes nothing after it.');
    // Far from everything: every usage, and "help".
    const far = bad('hello there');
    assert.match(far.problem, /help/);
    assert.ok(far.usage.split('\n').length > 10);
    // Sign-in happens when a command needs it; the answer says so.
    assert.match(bad('sign in').problem, /asks you to sign in when it needs to/);
  });

  // Contract §3 lists the commands exactly; what other tools call them is "anything else": the
  // error card, with the usage of the command meant.
  it('answers "?", "signout", "logout" and the like with the usage of the command they stand for', () => {
    for (const [typed, meant] of [
      ['?', 'help'],
      ['signout', 'sign out'],
      ['SignOut', 'sign out'],
      ['sign-out', 'sign out'],
      ['logout', 'sign out'],
      ['LOGOUT', 'sign out'],
      ['log out', 'sign out'],
    ] as const) {
      const r = bad(typed);
      assert.equal(r.usage, meant, typed);
      assert.equal(r.problem, `"${typed}" is not a command. Did you mean "${meant}"?`);
    }
    // Word for word only: a lone letter is no slip of "?".
    assert.match(bad('x').problem, /not a command I know/);
  });

  it('answers a slip in "alerts" with the alerts usages, like every other command (contract §3)', () => {
    // Contract §3 lists `alerts`, `alerts on <category>` and `alerts off <category>` among the
    // commands, and answers anything else with the closest valid usage: "alert on approvals" is
    // one letter from `alerts on <category>`, not a message that matches nothing at all.
    for (const typed of ['alert on approvals', 'alert', 'alerst off approvals']) {
      const r = bad(typed);
      assert.ok(
        r.usage.split('\n').some((u) => u.startsWith('alerts')),
        `${typed}: an alerts usage, got ${JSON.stringify(r.usage)}`,
      );
      assert.doesNotMatch(r.problem, /not a command I know/, typed);
    }
  });

  it('handles huge input without echoing it back', () => {
    const huge = `cancel role-request ${'a'.repeat(100_000)}`;
    const r = bad(huge);
    assert.ok(r.problem.length < 200);
    const longId = bad(`cancel role-request ${'b'.repeat(500)}`);
    assert.ok(longId.problem.length < 200);
  });

  it('has one grammar rule per catalog operation at least', () => {
    for (const name of Object.keys(CATALOG)) {
      assert.ok(
        GRAMMAR.some((g) => g.operation === name),
        `no grammar for ${name}`,
      );
    }
    for (const g of GRAMMAR) assert.deepEqual(g.ids, CATALOG[g.operation].idNames);
  });
});
