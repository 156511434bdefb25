// Words for a write Graph refused for the user's rights (403): which rights Graph wanted, which were
// missing, and which way in (own item or anyone's) applied, as far as the bot knows.

import { DomainError } from '../domain/errors';
import { OperationSpec, Target, decisionOf } from '../domain/operations';
import { MissingRight, RightsRefusedError, permissionWords } from '../domain/rights';
import type { Words } from './refusalWording';

/** "a" or "an" before a noun, by its first letter (the catalog's nouns are plain English words). */
function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/**
 * The verb of what was asked: the target's own decision (a deny is not an "approve"), else the
 * operation's one decision ("cancel").
 */
function verbOf(spec: OperationSpec, target?: Target): string {
  const asked = target ? decisionOf(target) : undefined;
  return (asked?.button ?? spec.decisions[0]?.button ?? 'change').toLowerCase();
}

/**
 * What the catalog's role asks, as the object of "you need" (or of "Missing:", `missing`). A
 * decision's "role" is being an approver of the stage, not an Entra role: "the role an approver
 * of …" would not read.
 */
function roleWords(spec: OperationSpec, missing = false): string {
  if (!/^an? approver\b/.test(spec.role)) return `the role ${spec.role}`;
  return `${missing ? 'being' : 'to be'} ${spec.role}`;
}

/**
 * `own` false means only that the user's own requests (filterByCurrentUser) do not hold the id.
 * Graph answers a requester 403 on the write and the admin read alike whether the id is someone
 * else's or exists nowhere ("Access is denied to the requested resource",
 * https://learn.microsoft.com/en-us/graph/errors), so the words never say which.
 */
export function notPermitted(error: DomainError, spec: OperationSpec, target?: Target): Words {
  const refusal = error instanceof RightsRefusedError ? error : null;
  const missing = refusal?.missing ?? [];
  const own = refusal?.own ?? null;
  const self = spec.selfService;
  const verb = verbOf(spec, target);
  const adminNeeds = `the delegated permission ${permissionWords(spec.permission)} and ${roleWords(spec)}`;
  const selfNeeds = self
    ? `the delegated permission ${permissionWords(self.permission)} and ${self.role ? `the role ${self.role}` : 'no admin role'}`
    : '';
  let what = `Microsoft Graph refused to let you ${verb} this ${spec.noun}.`;
  let check = '';
  const createdByOther = self && own === true && refusal?.createdByOther === true && missing.includes('role');
  if (createdByOther) {
    // PIM's self-service is for a request its principal created; an assignment someone else made
    // for them asks the admin role of them (privilegedidentitymanagementv3-overview).
    what += ` It names you, but someone else (an administrator) created it, and Microsoft Graph lets a requester ${verb} without the role ${spec.role} only a request they created.`;
    check = `Ask whoever created it, or an administrator with the rights below, to ${verb} it. `;
  } else if (self && own === true && missing.includes('role')) {
    what += ` It is ${self.own}, yet Graph asked for the role ${spec.role}: your organization does not let requesters do this without it.`;
  } else if (self && own === false) {
    // Not theirs: only the way in for others' items is of use, named once (below), so what is
    // missing is said by kind, not by repeating the role's list.
    what += ` It is not ${self.own}: either no ${spec.noun} has this id, or it is ${self.others} (Microsoft Graph refuses you both alike, so Governance Bot cannot tell which).`;
    if (missing.length > 0) what += ` Missing: ${missingKinds(missing)} named below.`;
    check = `Check the id: "my requests" lists your own pending requests. If it is ${self.others}, an administrator with the rights below can ${verb} it. `;
  } else if (missing.length > 0) {
    what += ` Missing: ${missingWords(missing, spec, own)}.`;
  }
  // Of a request someone else created for them, the self-service way in is not theirs to take:
  // only the admin one is named, so the card does not say they need no admin role.
  const rights = !self
    ? `To ${verb} ${article(spec.noun)} you need ${adminNeeds}.`
    : own === false
      ? `To ${verb} ${self.others} you need ${adminNeeds}.`
      : createdByOther
        ? `To ${verb} ${self.others}, or one someone else created for you, you need ${adminNeeds}.`
        : `To ${verb} ${self.own} you need ${selfNeeds}; to ${verb} ${self.others} you need ${adminNeeds}.`;
  const scope = spec.roleScope ? ` ${spec.roleScope}` : '';
  return {
    title: 'Not permitted',
    what,
    next: `${check}${rights}${scope} An administrator grants the app's delegated permissions with admin consent and assigns roles in the Microsoft Entra admin center.`,
  };
}

function missingWords(missing: readonly MissingRight[], spec: OperationSpec, own: boolean | null): string {
  const self = spec.selfService;
  const words: string[] = [];
  if (missing.includes('permission')) {
    const selfWords = self ? permissionWords(self.permission) : null;
    const adminWords = permissionWords(spec.permission);
    if (self && own === true) words.push(`the delegated permission ${selfWords}`);
    else if (self && own === null && !missing.includes('role') && selfWords !== adminWords) {
      // Either way in would do, and they need different permissions: name both.
      words.push(`the delegated permission ${selfWords} (for ${self.own}) or ${adminWords} (for ${self.others})`);
    } else words.push(`the delegated permission ${adminWords}`);
  }
  if (missing.includes('role')) words.push(roleWords(spec, true));
  return words.join(' and ');
}

/** What is missing by kind only, where the sentence after names the rights themselves. */
function missingKinds(missing: readonly MissingRight[]): string {
  const words: string[] = [];
  if (missing.includes('permission')) words.push('the delegated permission');
  if (missing.includes('role')) words.push('the role');
  return words.join(' and ');
}
