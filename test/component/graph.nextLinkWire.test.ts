// An @odata.nextLink reaches Graph as Graph gave it: "include the entire URL in the
// @odata.nextLink property in your request", its $skiptoken opaque to the client
// (https://learn.microsoft.com/graph/paging). Over the real Graph client, middleware chain and
// transport (httpsTransport.ts) against a local TLS server, which notes the request line as it
// came off the wire: a token's percent-escapes, plus signs, equals signs and an https:// inside it,
// escaped or not, are neither decoded, re-encoded nor taken for another host.

import { strict as assert } from 'node:assert';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { GraphReads } from '../../src/graph/graphReads';
import { httpsFetch } from '../../src/graph/httpsTransport';
import { ownsGroup } from '../../src/graph/ownedGroups';
import { LoopbackCertificate, generateLoopbackCertificate } from '../../src/sandbox/certs';

const GROUP = '7d1f5a2e-3c4b-4e8f-9a0b-1c2d3e4f5a6b';

const SKIPTOKENS = [
  'RFNwdAIAAQAAAC%2BvZ%2F8%3D',
  'RFNw+dAI/AQ==',
  'https%3A%2F%2Fgraph.microsoft.com%2Fv1.0%2Fusers',
  // Were it taken for a host again, the request would go to a closed local port, not out.
  'https://127.0.0.1:1/v1.0/users?x=1&y=2',
  'a%26b%3Dc%25d',
];

describe('a nextLink on the wire', () => {
  let tls: LoopbackCertificate;
  let server: https.Server;
  let agent: https.Agent;
  let reads: GraphReads;
  let first = '';
  let link = '';
  const seen: string[] = [];

  before(async () => {
    tls = await generateLoopbackCertificate();
    // The first page points on to `link`; any request with a $skiptoken gets the group.
    server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
      seen.push(req.url ?? '');
      const body = (req.url ?? '').includes('$skiptoken=')
        ? { value: [{ id: GROUP }] }
        : { value: [], '@odata.nextLink': link };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    agent = new https.Agent({ ca: tls.ca, keepAlive: true });
    reads = new GraphReads({ graphEndpoint: endpoint, fetch: httpsFetch({ agent }) });
    first = `${endpoint}/v1.0/me/ownedObjects?$select=id&$skiptoken=`;
  });

  after(() => {
    agent.destroy();
    server.closeAllConnections();
    server.close();
  });

  for (const token of SKIPTOKENS) {
    it(`keeps the $skiptoken ${token} byte for byte`, async () => {
      seen.length = 0;
      link = first + token;
      assert.equal(await ownsGroup(reads, 'the-token', GROUP), true);
      assert.deepEqual(seen, [
        '/v1.0/me/ownedObjects?$select=id',
        `/v1.0/me/ownedObjects?$select=id&$skiptoken=${token}`,
      ]);
    });
  }
});
