// The sandbox keeps the configured cloud's rule. Contract §3: "An operation that the configured
// cloud does not offer (the workflow-run cancel is global only) is refused with an explanation and
// no Graph call"; the sandbox is the one way to run the bot without a tenant, so that is where an
// outside test meets the rule. Under CLOUD=usgov the sandbox's bot plays usgov: its help card still
// lists the workflow-run cancel with its example (contract §3: every command with an example) and
// says it is not offered there. Global only per the catalog, as Graph's lifecycle workflows
// overview lists its national cloud deployments:
// https://learn.microsoft.com/graph/api/resources/identitygovernance-lifecycleworkflows-overview

import { strict as assert } from 'node:assert';
import { createReplyCards } from '../../src/bot/replyCards';
import { readConfig } from '../../src/config';
import { CATALOG, CLOUDS } from '../../src/domain/operations';
import { sandboxChildConfig } from '../../src/sandbox/start';

const TENANT_URL = 'https://127.0.0.1:45443';

describe('the sandbox under a CLOUD other than global', () => {
  for (const cloud of CLOUDS.filter((c) => !CATALOG.cancelWorkflowRun.clouds.includes(c))) {
    it(`CLOUD=${cloud}: its bot plays ${cloud}, and help says the workflow-run cancel is not offered`, () => {
      const { config, link } = sandboxChildConfig(readConfig({ CLOUD: cloud }), TENANT_URL);
      assert.equal(config.cloud, cloud);
      const card = JSON.stringify(createReplyCards({ cloud: config.cloud, examples: link.examples }).help().attachment);
      assert.match(card, /not offered in/);
      assert.match(card, /cancel run /, 'the command keeps its example');
    });
  }
});
