// When an approval's stage stops waiting: PIM's fixed 24 hours from the request, an access package
// stage's durationBeforeAutomaticDenial (the seed's policy, else the portal's default of 14 days).

import type { SeedItem } from '../seed';
import type { Approval, Stage } from './approvalModel';

/** PIM's fixed approval window (pim-approval-workflow). */
export const PIM_APPROVAL_WINDOW_MS = 24 * 3600_000;
/**
 * An access package stage's decision window comes from its policy (durationBeforeAutomaticDenial);
 * the simulated tenant plays the portal's default of 14 days (⚠️ a policy may say otherwise).
 */
export const EM_STAGE_WINDOW_MS = 14 * 24 * 3600_000;
/**
 * Starts a stage's clock. PIM counts from the request. An access package stage may be pending
 * `durationBeforeAutomaticDenial`, "the number of days that a request can be pending a response
 * before it is automatically denied"
 * (https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage): the first stage's
 * request has been pending since it was made, so its clock counts from the request's createdDateTime
 * (never later than now); a later stage's from when it starts.
 */
export function startStage(a: Approval, stage: Stage, now: number): void {
  stage.status = 'InProgress';
  const parsed = Date.parse(String(a.request.createdDateTime ?? ''));
  const created = Number.isNaN(parsed) ? now : Math.min(parsed, now);
  if (a.kind !== 'access') {
    stage.expiresAt = created + PIM_APPROVAL_WINDOW_MS;
    return;
  }
  const since = a.stages[0] === stage ? created : now;
  stage.expiresAt = since + a.stageWindowMs;
}

/** A seed's durationBeforeAutomaticDenial in ms (EM_STAGE_WINDOW_MS when absent): whole days
 * ("P7D"), the unit the page names (https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage).
 * A seed that says something else is refused at load, naming the request. */
export function stageWindowOf(seed: Pick<SeedItem, 'id' | 'durationBeforeAutomaticDenial'>): number {
  const v = seed.durationBeforeAutomaticDenial;
  if (v === undefined) return EM_STAGE_WINDOW_MS;
  const days = /^P([1-9][0-9]{0,3})D$/.exec(v)?.[1];
  if (days === undefined) {
    throw new Error(
      `Seed request ${seed.id}: durationBeforeAutomaticDenial must be whole days like "P7D" (1 to 9999), not ${JSON.stringify(v)}.`,
    );
  }
  return Number(days) * 24 * 3600_000;
}
