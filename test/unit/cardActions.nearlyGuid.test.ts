// A button whose id is nearly a GUID is still refused, with nothing read, sent or audited (contract
// §3: "An id that is not a GUID never reaches Graph"), and the refusal now says what is wrong with
// it, as a typed command's does (idProblem.ts): an invisible character (by its code, and where), a
// hyphen that only looks like one, braces around it. It said only "… on the button is not a GUID.",
// which names nothing a person could check. A value with nothing of the kind to name is told as
// before. The remedy is the button's own: the person cannot retype a button's data (the bot's cards
// carry ids as Graph gave them, so such a button is on a card the bot did not make as it makes
// them), so the refusal says to type the command, never to type the id again or leave part out.

import { strict as assert } from 'node:assert';
import { parseButtonData, parseRowButtonData } from '../../src/bot/cardActions';

const REQUEST = '7999249e-249e-7999-9e24-99799e249979';
const cancel = (requestId: unknown) => ({ operation: 'cancelRoleRequest', ids: { requestId } });
const TYPE_THE_COMMAND =
  'this button was not made as Governance Bot makes them: type the command instead (send "help" to see them).';
const problemOf = (data: unknown, parse = parseButtonData): string => {
  const parsed = parse(data);
  assert.equal(parsed.ok, false, JSON.stringify(data));
  const problem = parsed.ok ? '' : parsed.problem;
  assert.doesNotMatch(problem, /type the id again|Leave out|type the hyphens|type that part/, problem);
  return problem;
};

describe('button data: an id that is nearly a GUID', () => {
  it('names an invisible character by its code, and where, on a card button and a list row', () => {
    const id = `7999249e-249e\u200d-7999-9e24-99799e249979`;
    const named =
      'requestId on the button is not a GUID. It holds an invisible character (U+200D) after "7999249e-249e": ' +
      TYPE_THE_COMMAND;
    assert.equal(problemOf(cancel(id)), named);
    assert.equal(problemOf(cancel(id), parseRowButtonData), named);
  });

  it('names a hyphen that only looks like one', () => {
    assert.match(
      problemOf(cancel(REQUEST.replace(/-/g, '\u2011'))),
      /^requestId on the button is not a GUID\. It holds "\u2011" \(U\+2011\) where a GUID has a hyphen/,
    );
  });

  it('names the braces around an id of a task button', () => {
    const W = '14879e66-9ea9-48d0-804d-8fea672d0341';
    const data = {
      operation: 'resumeTask',
      ids: { workflowId: `{${W}}`, taskId: REQUEST, taskProcessingResultId: REQUEST },
      decision: 'completed',
    };
    assert.equal(
      problemOf(data),
      `workflowId on the button is not a GUID. It has "{" before it and "}" after it: ${TYPE_THE_COMMAND}`,
    );
  });

  // The approval stage a card showed decided (afterStage) is an id too: it was refused as "no
  // approval stage I know", naming nothing to check.
  it('names what is wrong with the approval stage a decision button carries (afterStage)', () => {
    const STAGE = '14879e66-9ea9-48d0-804d-8fea672d0341';
    const decide = (afterStage: unknown) => ({
      operation: 'decideAccessPackageApproval',
      ids: { requestId: REQUEST },
      decision: 'approve',
      afterStage,
    });
    assert.ok(parseButtonData(decide(STAGE)).ok);
    assert.equal(
      problemOf(decide(`14879e66\u2060-9ea9-48d0-804d-8fea672d0341`)),
      'afterStage on the button is not a GUID. It holds an invisible character (U+2060) after "14879e66": ' +
        TYPE_THE_COMMAND,
    );
    assert.match(
      problemOf(decide(STAGE.replace(/-/g, '\u2010')), parseRowButtonData),
      /^afterStage on the button is not a GUID\. It holds "\u2010" \(U\+2010\) where a GUID has a hyphen/,
    );
    assert.equal(
      problemOf(decide(`"${STAGE}"`)),
      `afterStage on the button is not a GUID. It has '"' before it and '"' after it: ${TYPE_THE_COMMAND}`,
    );
    assert.equal(problemOf(decide('stage-1')), 'afterStage on the button is not a GUID.');
    // A stage on a button whose item has no stages is no stage the bot knows, whatever it holds.
    const cancelWithStage = { ...cancel(REQUEST), afterStage: STAGE };
    assert.equal(problemOf(cancelWithStage), 'The button names no approval stage I know.');
  });

  it('tells a value with nothing of the kind to name as before', () => {
    for (const v of ['x', 42, undefined, null])
      assert.equal(problemOf(cancel(v)), 'requestId on the button is not a GUID.', String(v));
    assert.ok(parseButtonData(cancel(REQUEST)).ok);
  });
});
