// How the identity governance services refuse a $filter their pages do not list as supported.
//
// Entitlement management: 400 InvalidFilter, "OData query is invalid: Filter '<property> Equals
// <value> is not supported. .", with `"details": []` and the usual innerError
// (https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/8922, /issues/5654).
// PIM: 400 InvalidFilter, "The <property> eq '<value>' filter is invalid." (graph-reference §10.2:
// a field report, the only one found; the code agrees with entitlement management's).

import type { Clause } from './odata';

type Refusal = { code: string; message: string; details?: readonly unknown[] };

export function entitlementManagementFilterRefusal(c: Clause): Refusal {
  const op = c.op === 'eq' ? 'Equals' : 'NotEquals';
  return {
    code: 'InvalidFilter',
    message: `OData query is invalid: Filter '${c.path.join('/')} ${op} ${c.value} is not supported. .`,
    details: [],
  };
}

export function pimFilterRefusal(c: Clause): Refusal {
  return { code: 'InvalidFilter', message: `The ${c.path.join('/')} ${c.op} '${c.value}' filter is invalid.` };
}
