// The usage card's hint (contract §3: "Anything else gets a short error card with the closest valid
// usage, and no Graph call"). A slip in the keywords followed by the command's values is answered
// with the command as meant, the values as typed, so the person need not type the ids again; a
// value that is not one (an id that is no GUID) stays a placeholder.

import { strict as assert } from 'node:assert';
import { parseCommand } from '../../src/bot/commands';

const W = '4f36da05-5df8-457d-adb3-b132e7b59571';
const T = 'e07dcdb2-0a77-4ee3-8645-3801fbe1cf9f';
const R = '6B6F1C36-8D06-4386-A377-79DBAB1A2EB6';

function usageLines(text: string): string[] {
  const r = parseCommand(text);
  assert.equal(r.kind, 'bad', text);
  return r.kind === 'bad' ? r.usage.split('\n') : [];
}

describe('usage hint: the closest command with the values typed', () => {
  it('keeps the typed values after a slip in the keywords, with the usage under it', () => {
    for (const [typed, meant, usage] of [
      [`cancel role request ${R}`, `cancel role-request ${R}`, 'cancel role-request <requestId>'],
      [`cancle role-request ${R}`, `cancel role-request ${R}`, 'cancel role-request <requestId>'],
      [`cancel-group-request ${R}`, `cancel group-request ${R}`, 'cancel group-request <requestId>'],
      [
        `resume tsk ${W} ${T} ${R} Failed`,
        `resume task ${W} ${T} ${R} failed`,
        'resume task <workflowId> <taskId> <taskProcessingResultId> completed|failed',
      ],
      [
        `deny grop-request ${R} not this quarter`,
        `deny group-request ${R} not this quarter`,
        'deny group-request <requestId> <justification>',
      ],
    ] as const) {
      assert.deepEqual(usageLines(typed), [meant, usage], typed);
    }
  });

  it('shows a placeholder for a value that is not one, and the usage alone when none is', () => {
    assert.deepEqual(usageLines(`resume tsk ${W} not-a-guid ${R} maybe`), [
      `resume task ${W} <taskId> ${R} completed|failed`,
      'resume task <workflowId> <taskId> <taskProcessingResultId> completed|failed',
    ]);
    assert.deepEqual(usageLines(`deny grop-request ${R}`), [
      `deny group-request ${R} <justification>`,
      'deny group-request <requestId> <justification>',
    ]);
    assert.deepEqual(usageLines('cancel role request 6b6f'), ['cancel role-request <requestId>']);
    // Too few or too many values: they are not this command's, so none is echoed.
    assert.deepEqual(usageLines(`cancel rn ${W}`), ['cancel run <workflowId> <runId>']);
    assert.deepEqual(usageLines(`cancel role request ${R} ${R}`), ['cancel role-request <requestId>']);
  });

  it('keeps the category typed after a slip in "alerts on" or "alerts off"', () => {
    assert.deepEqual(usageLines('alert on role-requests'), ['alerts on role-requests', 'alerts on <category>']);
    assert.deepEqual(usageLines('Alert OFF PIM Role Requests'), [
      'alerts off PIM Role Requests',
      'alerts off <category>',
    ]);
    // No category: nothing to keep.
    assert.deepEqual(usageLines('alert on nonsense'), ['alerts on <category>']);
    assert.deepEqual(usageLines('alert on'), ['alerts on <category>']);
  });
});
