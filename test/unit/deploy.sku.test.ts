// The App Service plan's SKU: the web app sets Always On (the outbox worker and the periodic pass
// run without a request to wake them), which the Free and Shared tiers do not offer, so a deployment
// with F1 or D1 would fail. The template allows only tiers that have it.
// https://learn.microsoft.com/azure/app-service/configure-common#configure-general-settings (the
// Always on setting); a deployment setting it on F1 is refused ("AlwaysOn cannot be set for this
// site because it uses the F1 (free) SKU", https://github.com/tonybaloney/simple-flask-azd/issues/1).

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../../src/paths';

const bicep = fs.readFileSync(path.join(projectRoot(), 'infra/azure.bicep'), 'utf8');
const parameters = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'infra/azure.parameters.json'), 'utf8')) as {
  parameters: { webAppSku: { value: string } };
};

/** The values the template's @allowed decorator right above `param webAppSku` lists. */
function allowedSkus(): string[] | null {
  const m = /@allowed\(\[([^\]]*)\]\)\s*param webAppSku string/.exec(bicep);
  return m ? [...m[1]!.matchAll(/'([^']+)'/g)].map((x) => x[1]!) : null;
}

describe('deployment: the App Service plan SKU', () => {
  it('allows only tiers with Always On, which the web app sets', () => {
    assert.match(bicep, /alwaysOn: true/);
    const allowed = allowedSkus();
    assert.ok(allowed, 'param webAppSku has an @allowed list');
    for (const sku of allowed) assert.doesNotMatch(sku, /^(F|D)\d/, `${sku} is a Free or Shared tier`);
    assert.ok(allowed.includes('B1'));
  });

  it('deploys a SKU the template allows', () => {
    assert.ok(allowedSkus()?.includes(parameters.parameters.webAppSku.value));
  });
});
