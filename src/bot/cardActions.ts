// Button data on actionable cards names a catalog operation and its ids, nothing more. It is
// validated exactly like a typed command and never trusted beyond that.

import { CATALOG, OPERATION_NAMES, OperationName, Target, TaskOutcome, isGuid } from '../domain/operations';

/** The verb every governance button carries (Action.Execute) or embeds (Action.Submit fallback). */
export const ACT_VERB = 'governance.act';

export interface ButtonData {
  readonly verb: typeof ACT_VERB;
  readonly operation: OperationName;
  readonly ids: Readonly<Record<string, string>>;
  readonly operationStatus?: TaskOutcome;
}

export function buttonData(target: Target): ButtonData {
  return {
    verb: ACT_VERB,
    operation: target.operation,
    ids: target.ids,
    ...(target.operationStatus ? { operationStatus: target.operationStatus } : {}),
  };
}

export type ParsedButton =
  { readonly ok: true; readonly target: Target } | { readonly ok: false; readonly problem: string };

export function parseButtonData(data: unknown): ParsedButton {
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    return { ok: false, problem: 'The button carried no data.' };
  const d = data as Record<string, unknown>;
  const operation = d.operation;
  if (typeof operation !== 'string' || !(OPERATION_NAMES as readonly string[]).includes(operation)) {
    return { ok: false, problem: 'The button names no operation I know.' };
  }
  const spec = CATALOG[operation as OperationName];
  const rawIds = d.ids;
  if (rawIds === null || typeof rawIds !== 'object') return { ok: false, problem: 'The button carried no ids.' };
  const ids: Record<string, string> = {};
  for (const name of spec.idNames) {
    const v = (rawIds as Record<string, unknown>)[name];
    if (!isGuid(v)) return { ok: false, problem: `${name} on the button is not a GUID.` };
    ids[name] = v.toLowerCase();
  }
  if (operation === 'resumeTask') {
    const s = d.operationStatus;
    if (s !== 'completed' && s !== 'failed')
      return { ok: false, problem: 'The button does not say completed or failed.' };
    return { ok: true, target: { operation, ids, operationStatus: s } };
  }
  if (d.operationStatus !== undefined) return { ok: false, problem: 'Only a task resume takes a decision.' };
  return { ok: true, target: { operation: operation as OperationName, ids } };
}
