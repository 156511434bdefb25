// The lines the logger writes (createLogger): JSON without any secret, whatever pino takes into
// them (an error's message, interpolated values, a child's bindings). The redaction of values
// itself is log.scrub.test.ts.

import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { createLogger, scrub } from '../../src/log';
import { JWT } from '../fixtures/logSecrets';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  return { lines, logger: createLogger({ destination: stream }) };
}

describe('logger redaction', () => {
  it('writes JSON lines without any token', () => {
    const { lines, logger } = capture();
    logger.info({ assertion: JWT, user: 'u' }, `exchanging ${JWT}`);
    logger.error({ err: Object.assign(new Error('x'), { stack: `Error: ${JWT}` }) }, 'failed');
    assert.equal(lines.length, 2);
    for (const l of lines) {
      JSON.parse(l);
      assert.doesNotMatch(l, /eyJ/);
    }
  });

  // JSON.stringify writes a value with a toJSON method as what that method returns: a Date as its
  // ISO time, a URL as its address. Copied key by key, a Date or URL became {} (a time lost) and an
  // object's own toJSON, copied along, wrote the original's content past the censor.
  it('writes a value with toJSON as what it returns, scrubbed', () => {
    const { lines, logger } = capture();
    const held = { token: 's3cr3t1', id: 'r-1' };
    logger.info(
      {
        at: new Date(0),
        url: new URL('https://acct.blob.core.windows.net/c/b?sv=1&sig=s3cr3t2'),
        answer: { toJSON: () => held },
      },
      'm',
    );
    assert.doesNotMatch(lines[0]!, /s3cr3t/, lines[0]);
    const written = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(written.at, '1970-01-01T00:00:00.000Z');
    assert.equal(written.url, 'https://acct.blob.core.windows.net/c/b?sv=1&sig=[redacted]');
    assert.deepEqual(written.answer, { token: '[redacted]', id: 'r-1' });
  });

  // Each pattern runs only where its sign is (scrubString): the line written must still be the one
  // scrub's copy gives, for clean objects and for everything scrub reshapes (a Date, an Error, a
  // reference met twice, a secret-named key, a string with a secret in it).
  it('writes every object as the scrubbed copy gives it', () => {
    const shared = { id: 'a' };
    const objects: Array<Record<string, unknown>> = [
      { event: 'graph.exchange', status: 204, path: '/v1.0/x', nested: { list: [1, 'b', null] }, gone: undefined },
      { diagnostic: '{"ServerInfo":{"DataCenter":"West Europe"}}', date: 'Mon, 30 Nov 2026 10:00:00 GMT' },
      { at: new Date(0), err: new Error('x') },
      { first: shared, second: shared },
      { token: 'opaque', note: `sent ${JWT}`, q: 'a=b&client_secret=s3cr3t' },
      { list: [{ refresh_token: 'r' }, 'Bearer abcdefghijklmnop'] },
    ];
    for (const obj of objects) {
      const { lines, logger } = capture();
      logger.info(obj, 'm');
      const written = JSON.parse(lines[0]!) as Record<string, unknown>;
      const expected = JSON.parse(JSON.stringify(scrub(obj))) as Record<string, unknown>;
      for (const key of ['level', 'time', 'service', 'msg']) delete written[key];
      assert.deepEqual(written, expected);
    }
  });

  // pino takes an error's own message as the line's msg when no message is given, and msg is not
  // part of the object the log formatter scrubs: a secret in an error's message would be written.
  it('scrubs the message pino takes from an error when the call gives none', () => {
    const { lines, logger } = capture();
    logger.error(new Error(`refused ${JWT}`));
    logger.error({ err: new Error('upstream said Authorization: Bearer abcdefghijklmnop') });
    logger.warn({ err: new Error(`plain words`) });
    assert.equal(lines.length, 3);
    for (const l of lines) {
      assert.doesNotMatch(l, /eyJ|abcdefghijklmnop/, l);
    }
    const msgs = lines.map((l) => (JSON.parse(l) as { msg?: string }).msg);
    assert.deepEqual(msgs, ['refused [redacted]', 'upstream said Authorization: Bearer [redacted]', 'plain words']);
  });

  // pino takes the message of whatever truthy `err` the object holds (not only an Error's, pino's
  // write in lib/proto.js), and formats an object given for %j or %o into the message itself: a
  // value thrown that is no Error, or an object interpolated, must be scrubbed there too.
  it('scrubs the message pino takes from an err that is no Error, and interpolated objects', () => {
    const { lines, logger } = capture();
    logger.warn({ err: { message: 'refused Bearer abcdefghijklmnop', statusCode: 401 } });
    logger.warn({ err: { message: 'PUT https://a.blob.core.windows.net/c?sv=1&sig=s3cr3tSig' } });
    logger.warn({ event: 'x' }, 'answer %j', { refresh_token: 'opaque-s3cr3t', note: 'client_secret=s3cr3t' });
    logger.warn('token %o', { t: JWT });
    assert.equal(lines.length, 4);
    for (const l of lines) {
      JSON.parse(l);
      assert.doesNotMatch(l, /abcdefghijklmnop|s3cr3t|eyJ/, l);
    }
    assert.equal((JSON.parse(lines[0]!) as { msg?: string }).msg, 'refused Bearer [redacted]');
  });

  // An object formatted into the message as JSON (%j, %o, %O) carries its keys with it: a secret
  // under a name the line's own object has censored (clientSecret, token, cookie, an Authorization
  // header whose value is no bearer string) must be censored there too. Under %s an object is only
  // its String() ("[object Object]", an Error's "Error: message"), which stays as it was.
  it('censors secret-named keys of an object formatted into the message', () => {
    const { lines, logger } = capture();
    const answer = {
      clientSecret: 's3cr3t1',
      token: 's3cr3t2',
      headers: { cookie: 'session=s3cr3t3', authorization: 's3cr3t4', 'request-id': 'r-1' },
      correlationId: 'c-1',
    };
    logger.warn('answer %j', answer);
    logger.warn({ event: 'x' }, 'answer %o then %O', answer, [{ codeVerifier: 's3cr3t5' }]);
    logger.warn('100%% sure: %s %j', new Error('plain words'), answer);
    // A message that is itself an object, followed by more values (untyped callers, a library
    // given the logger): pino writes them all as JSON.
    (logger.warn as (...args: unknown[]) => void)({ event: 'x' }, { token: 's3cr3t6' }, { sasToken: 's3cr3t7' });
    for (const l of lines) assert.doesNotMatch(l, /s3cr3t/, l);
    const msgs = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    assert.match(msgs[0]!, /"request-id":"r-1"/);
    assert.match(msgs[0]!, /"correlationId":"c-1"/);
    assert.match(msgs[2]!, /^100% sure: Error: plain words \{/);
  });

  // A child logger's bindings are written into each of its lines, but pino serializes them once,
  // when the child is made, past the log formatter that scrubs a line's object.
  it("scrubs a child logger's bindings, a grandchild's too, and keeps the rest", () => {
    const { lines, logger } = capture();
    const child = logger.child({
      accountKey: 's3cr3t1',
      conn: 'AccountName=a;AccountKey=s3cr3t2;EndpointSuffix=core.windows.net',
      correlationId: 'c-1',
      key: 'signIn/0f1e',
    });
    child.info('one');
    child.child({ token: 's3cr3t3', operation: 'cancelRoleRequest' }).info('two');
    assert.equal(lines.length, 2);
    for (const l of lines) assert.doesNotMatch(l, /s3cr3t/, l);
    const two = JSON.parse(lines[1]!) as Record<string, unknown>;
    assert.equal(two.correlationId, 'c-1');
    assert.equal(two.key, 'signIn/0f1e');
    assert.equal(two.operation, 'cancelRoleRequest');
    assert.equal(two.msg, 'two');
  });

  // pino fills each placeholder of the message with the next value given (its quick-format): a
  // template scrubbed before that ("sig=%s" made "sig=[redacted]") loses the placeholder, and the
  // secret meant for it fills the next one, where no secret shape names it.
  it('scrubs the message once formatted, the secret in its own placeholder and the next one kept', () => {
    const { lines, logger } = capture();
    logger.warn('refresh failed sig=%s for user %s', 's3cr3tSig', 'adele');
    logger.info({ event: 'x' }, 'conn AccountKey=%s;EndpointSuffix=%s', 's3cr3tKey==', 'core.windows.net');
    logger.info('sent client_secret=%s to %s (%d)', 'Abc8Q~s3cr3t', 'login.microsoftonline.com', 400);
    const msgs = lines.map((l) => (JSON.parse(l) as { msg?: string }).msg);
    assert.deepEqual(msgs, [
      'refresh failed sig=[redacted] for user adele',
      'conn AccountKey=[redacted];EndpointSuffix=core.windows.net',
      'sent client_secret=[redacted] to login.microsoftonline.com (400)',
    ]);
  });
});
