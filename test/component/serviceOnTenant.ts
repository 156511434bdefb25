// The bot's governance service with its real Graph gateway against a fresh simulated tenant (the
// demo seed), on a fixed clock, and a seed user as the actor with their own Graph token: the set-up
// of the tests of what the service does and says when Graph refuses or allows a user.

import { Actor, GovernanceService } from '../../src/domain/governance';
import { GraphGateway } from '../../src/graph/graphGateway';
import { tenantFetch } from '../../src/sandbox/server';
import { DemoSeed, loadDemoSeed } from '../../src/sandbox/seed';
import { SimulatedTenant, TenantOptions } from '../../src/sandbox/tenant';
import { graphTokenFor } from '../fixtures/tenantClient';

const BASE = 'https://127.0.0.1:9443';

export interface ServiceOnTenant {
  readonly seed: DemoSeed;
  readonly tenant: SimulatedTenant;
  readonly svc: GovernanceService;
}

/** A fresh tenant of the demo seed and the service over it, both at `clock`; `options` are the
 * tenant's (its clock excepted). */
export function serviceOnTenant(clock: number, options: Omit<TenantOptions, 'now'> = {}): ServiceOnTenant {
  const seed = loadDemoSeed();
  const tenant = new SimulatedTenant(seed, { ...options, now: () => clock });
  const graph = new GraphGateway({ graphEndpoint: BASE, fetch: tenantFetch(tenant, BASE), now: () => clock });
  let n = 0;
  const svc = new GovernanceService({
    cloud: 'global',
    graph,
    audit: () => undefined,
    newId: () => `c-${++n}`,
    now: () => clock,
  });
  return { seed, tenant, svc };
}

/** The seed user `displayName` as the service's actor, with a Graph token the tenant issued them. */
export function actorOf({ seed, tenant }: Pick<ServiceOnTenant, 'seed' | 'tenant'>, displayName: string): Actor {
  const user = seed.users.find((u) => u.displayName === displayName)!;
  const token = graphTokenFor(tenant, seed, displayName, BASE);
  return { aadObjectId: user.id, getToken: () => Promise.resolve(token) };
}
