// The operation catalog: every fact the bot knows about the Graph writes it makes, taken from the
// seeds in ../shared/seeds and reference/graph-reference.md. Nothing else names an operation: the
// grammar and its usage hints, the help card and its demo examples, the card buttons and their
// decisions, the gateway (method, version, path, body), the state read before and after a write,
// cloud gating, the audit line, the README permission and command tables, the Teams manifest's
// command list and the notification event kinds are all derived from these entries.
//
// Adding an operation takes:
//   1. one entry in ./catalog/ (cancelAndResume.ts, approvals.ts, or a new file spread into ENTRIES)
//      and its name in that file's name list (a new decision name also goes into
//      DECISION_NAMES in ./catalog/types.ts), with its reads: the admin read (get by id, its
//      permission and role) and, when the API lets people act on their own items, `selfService`
//      (its permission and the filterByCurrentUser read); the app registration and the README
//      table list every permission named there;
//   2. its wording: the sentence for its success card in src/cards/wording.ts (DONE_TEXT, which
//      does not compile without it); with a new notification kind, that event's payload fields in
//      src/notifications/events.ts (its switch does not compile without the case);
//   3. its simulator model in src/sandbox (the Graph route, its states, a demo item and the
//      seed `examples` keys its `demoExample` names);
//   4. its tests: test/unit/catalog.test.ts walks every entry (grammar, help, manifest, README
//      tables, event kinds, buttons); add its request to the gateway's contract test.
// Then regenerate the README tables and the manifest commands: `npm run build && node scripts/generate.js`.

import { APPROVAL_ENTRIES, APPROVAL_OPERATION_NAMES } from './catalog/approvals';
import { CANCEL_AND_RESUME_ENTRIES, CANCEL_AND_RESUME_NAMES } from './catalog/cancelAndResume';
import { CatalogEntry, Cloud, DecisionName, DecisionSpec, TargetOf } from './catalog/types';

export { CLOUDS, DECISION_NAMES } from './catalog/types';
export type {
  Cloud,
  CommandWords,
  DecisionName,
  DecisionSpec,
  GraphVersion,
  HttpMethod,
  JustificationRule,
} from './catalog/types';

export const CLOUD_NAMES: Readonly<Record<Cloud, string>> = {
  global: 'the global Microsoft cloud',
  usgov: 'US Government L4 (GCC High)',
  usgovdod: 'US Government L5 (DoD)',
  china: 'Microsoft Azure operated by 21Vianet (China)',
};

export const OPERATION_NAMES = [...CANCEL_AND_RESUME_NAMES, ...APPROVAL_OPERATION_NAMES] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];
export type Target = TargetOf<OperationName>;
export type OperationSpec = CatalogEntry<OperationName>;
export type { DecisionReadSpec, SelfReadSpec, SelfServiceSpec, StateReadSpec, UndecidableSpec } from './catalog/types';

const ENTRIES = {
  // Cancels and the custom task resume: ./catalog/cancelAndResume.ts.
  ...CANCEL_AND_RESUME_ENTRIES,
  // Deciding approvals as the approver: ./catalog/approvals.ts.
  ...APPROVAL_ENTRIES,
} as const satisfies { readonly [N in OperationName]: CatalogEntry<N> };

export const CATALOG: Readonly<Record<OperationName, OperationSpec>> = ENTRIES;

/** The notification event kinds, one per entry that has one, in catalog order. */
export type NotificationKind = NonNullable<(typeof ENTRIES)[OperationName]['notificationKind']>;
export const NOTIFICATION_KINDS: readonly NotificationKind[] = OPERATION_NAMES.flatMap((n) => {
  const kind: NotificationKind | null = ENTRIES[n].notificationKind;
  return kind === null ? [] : [kind];
});

/**
 * The notification kinds of the decisions Graph cannot take for some requests (a PIM extension or
 * renewal: the entry's `undecidable`), whose events may say the request's action.
 */
export const KINDS_WITH_UNDECIDABLE: readonly NotificationKind[] = OPERATION_NAMES.flatMap((n) => {
  const kind: NotificationKind | null = ENTRIES[n].notificationKind;
  return kind !== null && CATALOG[n].undecidable ? [kind] : [];
});

/** The operation whose card a notification of this kind shows. */
export function operationOfKind(kind: NotificationKind): OperationName {
  const name = OPERATION_NAMES.find((n) => ENTRIES[n].notificationKind === kind);
  if (!name) throw new Error(`no operation for notification kind ${kind}`);
  return name;
}

/** The names of an entry's decisions, or null for an operation with one outcome. */
export function decisionNames(spec: OperationSpec): readonly DecisionName[] | null {
  const names = spec.decisions.flatMap((d) => (d.name === null ? [] : [d.name]));
  return names.length > 0 ? names : null;
}

/** The decision a target asks for, or undefined when the target does not fit its entry. */
export function decisionOf(target: Target): DecisionSpec | undefined {
  return CATALOG[target.operation].decisions.find((d) => d.name === (target.decision ?? null));
}

/** The entry that withdraws the request this entry decides (its `withdrawnBy`), if it names one. */
export function withdrawalOf(spec: OperationSpec): OperationSpec | undefined {
  const name = OPERATION_NAMES.find((n) => n === spec.withdrawnBy);
  return name === undefined ? undefined : CATALOG[name];
}

/** The past tense of what the target did, for the settled card ("Cancelled", "Approved"). */
export function doneWordOf(target: Target): string {
  return decisionOf(target)?.doneWord ?? 'Done';
}

export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The noun of the item an operation's first id names when it takes several ("workflow" for a run
 * under its workflow), for words about ids that do not go together; undefined for one-id commands. */
export function parentNounOf(spec: OperationSpec): string | undefined {
  return spec.idNames.length > 1 ? spec.idNames[0]?.replace(/Id$/, '') : undefined;
}

export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID_RE.test(value);
}

/** Fills a catalog path template. Every id must already be a GUID; anything else throws. */
export function fillPath(template: string, ids: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = ids[name];
    if (!isGuid(value)) throw new Error(`id ${name} is not a GUID`);
    return value.toLowerCase();
  });
}

/** The id the audit line names: the command's last id. */
export function targetIdOf(target: Target): string {
  const spec = CATALOG[target.operation];
  const last = spec.idNames[spec.idNames.length - 1];
  return (last !== undefined ? target.ids[last] : undefined) ?? '';
}

/** An id as the user typed it (Target.typedIds), else as the target holds it: for the audit line
 * and the answer, never for a key or a Graph call. */
export function typedIdOf(target: Target, name: string): string {
  return target.typedIds?.[name] ?? target.ids[name] ?? '';
}

export function stateIn(state: string | null | undefined, states: readonly string[]): boolean {
  if (!state) return false;
  const s = state.toLowerCase();
  return states.some((x) => x.toLowerCase() === s);
}

/** Whether Microsoft Graph cannot decide a request of this operation whose telling field (the
 * entry's `undecidable.field`, a PIM role request's `action`) holds `value`. */
export function graphCannotDecide(operation: OperationName, value: unknown): boolean {
  const undecidable = CATALOG[operation].undecidable;
  return undecidable !== undefined && typeof value === 'string' && stateIn(value, undecidable.values);
}

/** Whether Microsoft's docs say an approver cannot decide their own request of this operation: the
 * read before its decision (`undecidable` or `requesterRead`) names who asked (`requesterFields`). */
export function requesterMayNotDecide(operation: OperationName): boolean {
  const spec: OperationSpec = CATALOG[operation];
  return ((spec.undecidable ?? spec.requesterRead)?.requesterFields?.length ?? 0) > 0;
}
