// Why part of a list could not be read, in one sentence (the rest of the list is still shown).

import { explain } from '../cards/wording';
import { DomainError, RefusedByGraphError, ThrottledError } from '../domain/errors';
import { KIND_NAMES, ListName, ROW_OPERATION, WorkKind, approverReadPermission } from '../domain/myWork';
import { CATALOG } from '../domain/operations';
import { graphName } from '../domain/shownNames';
import { FIXED_COMMANDS } from './commands';

/** `reads`: the ids of the kind's reads that failed so (WorkFailure); a refusal names the
 * permission of each (the kind's first read's when not given). `further`: a next page's read (More),
 * after rows of the kind were listed: those rows stay, only the rest could not be listed. */
export function explainShort(
  list: ListName,
  kind: WorkKind,
  error: DomainError,
  reads: readonly string[] = [kind],
  further = false,
): string {
  const what = list === 'approvals' ? 'approvals' : 'requests';
  const name = further ? `Further ${KIND_NAMES[kind].replace(/^Access\b/, 'access')}` : KIND_NAMES[kind];
  const head = `${name} ${what} could not be listed`;
  // A refused read is about the rights to read, not those to act on a row (which the row
  // operation's wording would explain): both lists read the same filterByCurrentUser collection as
  // the requester's own-request read, whose page names the roles it asks for, if any.
  // Which of the two is missing Graph's 403 does not always say: both are named (contract §6).
  if (error.code === 'NOT_PERMITTED') {
    const own = CATALOG[ROW_OPERATION.requests[kind]].selfService?.read;
    // "My approvals" reads each kind's assignment and eligibility requests, each with its own
    // permission: the one named is that of the read Graph refused.
    const permissions =
      list === 'approvals'
        ? [...new Set(reads.map((id) => approverReadPermission(kind, id)))]
        : own?.permission
          ? [own.permission]
          : [];
    const granted =
      permissions.length > 0
        ? `the app's delegated ${permissions.length > 1 ? 'permissions' : 'permission'} ${permissions.join(' and ')}, granted by an administrator`
        : "the app's delegated permissions, granted by an administrator";
    return own?.role
      ? `${head}: not permitted. Microsoft Graph lists them only to someone with one of the roles ${own.role}, and only with ${granted}; an administrator assigns roles in the Microsoft Entra admin center.`
      : `${head}: not permitted. Microsoft Graph lists them only with ${granted}; ask an administrator whether it was granted.`;
  }
  // Graph refused the token (expired or revoked) and the bot forgot it (listTurns.ts): the list
  // card has no Sign in button, and the list command signs in afresh.
  if (error.code === 'SIGN_IN_REQUIRED') return `${head}: ${NOT_ACCEPTED} ${listCommandAgain(list, 'sign in afresh')}`;
  // A list read failed or went unanswered: it wrote nothing, so it is simply read again (the
  // operation's words for that would be a lost write's, "check before trying again").
  if (error.code === 'UPSTREAM' && !(error instanceof RefusedByGraphError))
    return `${head}: Microsoft Graph failed or did not answer. ${listCommandAgain(list, 'in a moment')}`;
  // Graph too busy to give this part in time: the list command again once its wait is over
  // ("Try again" would not say what to try on a card reached by More).
  if (error instanceof ThrottledError) {
    const seconds = Math.max(1, Math.ceil(error.retryAfterSeconds));
    return `${head}: Microsoft Graph is busy. ${listCommandAgain(list, { inSeconds: seconds })}`;
  }
  // A read Graph refused (a query, or a next page's $skiptoken it no longer takes): a new list
  // reads the first pages afresh. The card shows no request-id below its notes: the note names it.
  if (error instanceof RefusedByGraphError && error.constructor === RefusedByGraphError) {
    const id = error.graph.requestId;
    const again = listCommandAgain(list, 'new list');
    const then = id ? ` If it is refused again, give your administrator Graph's request-id ${id}.` : '';
    return `${head}: refused by Microsoft Graph. Nothing was changed. ${again}${then}`;
  }
  // A 404 to a list read (a collection, or a next page's link): no item the person named is gone,
  // so the row operation's words ("no longer exists", "check the ids") would mislead.
  if (error.code === 'NOT_FOUND') {
    const id = error.graph.requestId;
    const then = id ? ` If it happens again, give your administrator Graph's request-id ${id}.` : '';
    return `${head}: Microsoft Graph did not find the list. Nothing was changed. ${listCommandAgain(list, 'new list')}${then}`;
  }
  const w = explain(error, CATALOG[ROW_OPERATION[list][kind]]);
  return `${head}: ${asClause(w.title)}. ${namedRequestId(w.next, error)}`;
}

/** An action card shows Graph's request-id below its words; a list card does not: its note names it. */
function namedRequestId(next: string, error: DomainError): string {
  const id = error.graph.requestId;
  return next
    .replace(
      /If it happens again, give your administrator the Graph request-id below\./,
      id ? `If it happens again, give your administrator Graph's request-id ${id}.` : '',
    )
    .trim();
}

/** A card title as the clause after a colon: its first letter small, but a name stays a name
 * ("Microsoft Graph is busy", "Refused by Microsoft Graph"). */
function asClause(title: string): string {
  return /^Microsoft\b/.test(title) ? title : title.charAt(0).toLowerCase() + title.slice(1);
}

/** The list command to send again, for a press on a list card that cannot go on: the button's data
 * names its list; "the command" would not tell someone who pressed a button which one. */
export function listCommandAgain(
  list: unknown,
  why: 'new list' | 'sign in afresh' | 'in a moment' | { readonly inSeconds: number },
): string {
  const typed =
    list === 'approvals'
      ? `"${FIXED_COMMANDS.myApprovals.usage}"`
      : list === 'requests'
        ? `"${FIXED_COMMANDS.myRequests.usage}"`
        : `"${FIXED_COMMANDS.myApprovals.usage}" or "${FIXED_COMMANDS.myRequests.usage}"`;
  if (typeof why === 'object') return `Send ${typed} again in ${why.inSeconds} s.`;
  if (why === 'new list') return `Send ${typed} again for a new list.`;
  if (why === 'in a moment') return `Send ${typed} again in a moment.`;
  return `Send ${typed} again to sign in afresh.`;
}

/** A list card's button pressed by someone other than its owner (listOwner.ts): whose list it is,
 * and the command that lists the presser's own. */
export function notYourList(list: unknown, ownerName: string | undefined): string {
  const owner = shownOwner(ownerName);
  const whose = owner ? `${owner}'s` : "someone else's";
  const own = list === 'requests' ? FIXED_COMMANDS.myRequests.usage : FIXED_COMMANDS.myApprovals.usage;
  return `This list is ${whose}. Send "${own}" to see yours.`;
}

/** Who a list card's buttons act for: only its owner's presses act (listOwner.ts), so in a group
 * chat or a channel "as you" would mislead every other member who reads the card. */
export function buttonsActFor(ownerName: string | undefined): string {
  const owner = shownOwner(ownerName);
  return owner ? `Buttons act once, as ${owner} only.` : 'Buttons act once, only for the person who asked.';
}

/** The owner's name as Teams gave it (activity.from.name, the directory's displayName), shown as
 * the other names from the directory are: without bidirectional controls or control characters. */
const shownOwner = (ownerName: string | undefined): string | null => graphName(ownerName, 200);

const NOT_ACCEPTED = 'Microsoft Graph did not accept your sign-in; it may have expired or been revoked.';

/**
 * "More" whose read of Graph's next page was refused the token, now forgotten: the next press signs
 * in afresh (silently, or with the sign-in a row's button asks for) and then shows the page.
 */
export const MORE_SIGN_IN_AGAIN = `${NOT_ACCEPTED} Press More again: it signs you in afresh, then shows the next page.`;

/** A list command given up at shutdown whose redelivery has not begun (and may never come). */
export function notPosted(list: ListName): string {
  return `Governance Bot was stopping before it posted this list. If no list follows, ${lowerFirst(listCommandAgain(list, 'in a moment'))}`;
}

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);
