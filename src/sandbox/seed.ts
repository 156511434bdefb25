// The demo tenant's starting state, as written in src/sandbox/seed.json.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HelpExamples } from '../domain/helpExamples';
import { projectRoot } from '../paths';

export interface DemoUser {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
  readonly scopes: readonly string[];
  readonly consent?: boolean;
  readonly mfaRequired?: boolean;
}

export interface SeedItem {
  readonly id: string;
  /** Answer the first write with 429 (a throttled Graph), then behave. */
  readonly throttleOnce?: boolean;
}
export interface SeedRun extends SeedItem {
  readonly processingStatus: string;
}
export interface SeedTaskResult extends SeedItem {
  readonly processingStatus: string;
  readonly subject?: string;
}
export interface SeedWorkflow {
  readonly id: string;
  readonly displayName: string;
  readonly category: string;
  readonly runs: readonly SeedRun[];
  readonly tasks: ReadonlyArray<{
    readonly id: string;
    readonly displayName: string;
    readonly results: readonly SeedTaskResult[];
  }>;
}
export interface SeedRoleRequest extends SeedItem {
  readonly status: string;
  readonly roleName: string;
  readonly principal: string;
  readonly justification: string;
  readonly duration: string;
}
export interface SeedGroupRequest extends SeedItem {
  readonly status: string;
  readonly groupName: string;
  readonly accessId: string;
  readonly principal: string;
  readonly justification: string;
  readonly duration: string;
}
export interface SeedAccessRequest extends SeedItem {
  readonly state: string;
  readonly status: string;
  readonly accessPackageName: string;
  readonly requestor: string;
  readonly requestType: string;
}

export interface DemoSeed {
  readonly tenantId: string;
  readonly app: { readonly clientId: string; readonly clientSecret: string };
  readonly users: readonly DemoUser[];
  readonly workflows: readonly SeedWorkflow[];
  readonly roleRequests: readonly SeedRoleRequest[];
  readonly groupRequests: readonly SeedGroupRequest[];
  readonly accessRequests: readonly SeedAccessRequest[];
  /** Ids that make every help example work in the sandbox. */
  readonly examples: HelpExamples;
}

/** A fresh deep copy of the demo tenant in src/sandbox/seed.json. */
export function loadDemoSeed(): DemoSeed {
  return JSON.parse(fs.readFileSync(path.join(projectRoot(), 'src', 'sandbox', 'seed.json'), 'utf8')) as DemoSeed;
}
