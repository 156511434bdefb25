// A justification is limited to 500 characters (README "Chat commands"), counted as code points
// (src/domain/characters.ts). The typed command that carries it, and the audit line that keeps its
// length (README: "justificationLength: the number of characters"), must count it the same way.

import { strict as assert } from 'node:assert';
import { parseCommand } from '../../src/bot/commands';
import { auditLineOf } from '../../src/domain/auditLine';
import { JUSTIFICATION_MAX_LENGTH } from '../../src/domain/catalog/approvals';

const REQUEST_ID = '11111111-2222-3333-4444-555555555555';
// U+1F600: one character (one code point), two UTF-16 code units.
const LONGEST = '😀'.repeat(JUSTIFICATION_MAX_LENGTH);

describe('justification length in characters', () => {
  it('a typed deny with a justification of exactly the limit, outside the BMP, is a command', () => {
    const parsed = parseCommand(`deny role-request ${REQUEST_ID} ${LONGEST}`);
    assert.equal(parsed.kind, 'operation', parsed.kind === 'bad' ? parsed.problem : '');
    assert.equal(parsed.kind === 'operation' ? parsed.target.justification : undefined, LONGEST);
  });

  it('one character more is refused by the justification rule, not as a too long message', () => {
    const parsed = parseCommand(`deny role-request ${REQUEST_ID} ${LONGEST}😀`);
    assert.equal(parsed.kind, 'bad');
    assert.match(parsed.kind === 'bad' ? parsed.problem : '', /justification is 501 characters long/);
  });

  it('the audit line counts the justification in characters, as the limit does', () => {
    const line = auditLineOf(
      {
        ok: true,
        target: {
          operation: 'decideRoleApproval',
          ids: { requestId: REQUEST_ID },
          decision: 'deny',
          justification: LONGEST,
        },
        graph: { status: 204, requestId: null },
        correlationId: 'c',
        confirmedByRead: false,
      },
      'user',
      'global',
      1,
      {},
    );
    assert.equal(line.justificationLength, JUSTIFICATION_MAX_LENGTH);
  });
});
