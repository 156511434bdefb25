// A body that is JSON in another form than UTF-8 without a byte order mark is refused (400) with
// words that say what to change, not "The body is not valid JSON." for a file that is valid JSON:
// JSON between systems "MUST be encoded using UTF-8" and "MUST NOT add a byte order mark"
// (RFC 8259 §8.1, https://www.rfc-editor.org/rfc/rfc8259#section-8.1). In Windows PowerShell "any
// Unicode encoding, except UTF7, always creates a BOM" (a file written `-Encoding utf8`), and its
// `>` writes UTF-16 ("Unicode"), so a sender posting a file it wrote meets both:
// https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_character_encoding?view=powershell-5.1

import { strict as assert } from 'node:assert';
import { event, intakeEdge, request } from '../fixtures/intakeEdge';

describe('notification intake: a body not sent as plain UTF-8', () => {
  const edge = intakeEdge({ check: async () => ({ ok: true, claims: {} }) });
  const post = async (body: Buffer) => {
    const r = await request(`${edge.base}/api/notifications`, 'POST', [body]);
    return { status: r.status, problems: (JSON.parse(r.text) as { problems?: string[] }).problems ?? [] };
  };
  const json = JSON.stringify(event('encoded-1'));

  it('names the byte order mark of a UTF-8 body', async () => {
    const r = await post(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]));
    assert.equal(r.status, 400);
    assert.deepEqual(r.problems, [
      'The body begins with a byte order mark (U+FEFF), which JSON must be sent without: send it as UTF-8 without one.',
    ]);
    assert.equal(edge.store.records.size, 0);
  });

  it('says UTF-8 is required of a UTF-16 body, with or without its byte order mark', async () => {
    for (const body of [
      Buffer.from(json, 'utf16le'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]),
      Buffer.from(json, 'utf16le').swap16(),
    ]) {
      const r = await post(body);
      assert.equal(r.status, 400);
      assert.equal(r.problems.length, 1, r.problems.join(' | '));
      assert.match(r.problems[0]!, /JSON must be sent as UTF-8/, body.subarray(0, 4).toString('hex'));
    }
    assert.equal(edge.store.records.size, 0);
  });

  it('still takes the same event sent as UTF-8', async () => {
    assert.equal((await post(Buffer.from(json))).status, 202);
  });
});
