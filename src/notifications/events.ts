// Notification events accepted by POST /api/notifications. Every field is validated; every
// problem is reported at once; ids are GUIDs; sizes are bounded. The output is the catalog target
// the card's buttons will act on, so a bad event never produces a card that can reach Graph.
// How one field is checked and worded is in eventFields.ts; this file says what each kind carries.

import {
  CATALOG,
  DecisionName,
  NOTIFICATION_KINDS,
  NotificationKind,
  Target,
  decisionNames,
  isGuid,
  operationOfKind,
} from '../domain/operations';
import { CATEGORY_IDS, CategoryId, isCategoryId } from '../alerts/categories';
import { Obj, Problems, isObj, statedApprovalExpiry, statedRequestCreated } from './eventFields';
import { toBarredRequester } from './ownRequest';
import { RequestAction, statedRequestAction } from './requestAction';

/** The kinds come from the operation catalog: each entry names the kind whose card acts on it. */
export const EVENT_KINDS: readonly NotificationKind[] = NOTIFICATION_KINDS;
export type EventKind = NotificationKind;

export const MAX_EVENT_BYTES = 64 * 1024;
const EVENT_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;
/** The ids the bot gives its own alerts (an action taken through it, a reminder, a digest) live in
 * the same namespace as events': an event named like one would stand for it (a reminder not sent). */
const RESERVED_EVENT_ID = /^(?:action|reminder|digest):/i;
/** "." and ".." are dot segments: a URL client removes them from the status URL's path before
 * sending it (RFC 3986 §5.2.4), so the GET of such an event would never reach it. */
const DOT_SEGMENT = /^\.\.?$/;
const CHANNEL_RE = /^19:[A-Za-z0-9._@-]{1,200}$/;
const CALLBACK_RE =
  /^\/identityGovernance\/lifecycleWorkflows\/workflows\/([^/]+)\/tasks\/([^/]+)\/taskProcessingResults\/([^/]+)\/(?:microsoft\.graph\.identityGovernance\.)?resume$/i;

/** One user's personal chat, one channel, or every channel subscribed to a category. */
export type NotificationTarget =
  { readonly userId: string } | { readonly channelId: string } | { readonly category: CategoryId };

export interface NotificationEvent {
  readonly eventId: string;
  readonly kind: EventKind;
  readonly target: NotificationTarget;
  /** What the card's buttons act on. */
  readonly item: Target;
  /** The decisions the card's buttons offer (the catalog entry's), null for a single action. */
  readonly decisions: readonly DecisionName[] | null;
  readonly title: string;
  readonly text: string;
  readonly facts: ReadonlyArray<{ readonly title: string; readonly value: string }>;
  /** Who asked for what, from the same fields as `text` but in words that stay true once the item
   * is decided (no "It waits for …"), without the sender's details: the line a pressed card keeps
   * (CardAbout). Absent in events accepted by earlier releases. */
  readonly about?: string;
  /** When an access package approval is denied automatically (epoch ms), if the event says. */
  readonly approvalExpiresAt?: number;
  /** When a PIM request was made (epoch ms), if the event says: its approval lapses 24 h later. */
  readonly requestCreatedAt?: number;
  /** A roleApproval's request action, if the event says (an extension or renewal has no buttons). */
  readonly requestAction?: RequestAction;
  /** The requester's Entra object id (`principalId`), if the event says: the addressee's own
   * request of a kind its approver may not decide has no buttons. */
  readonly requesterId?: string;
}

/** `notices`: what the sender should know of an event taken as it is (present only when there is
 * one); the 202 answer carries them. */
export type ParsedEvent =
  | { readonly ok: true; readonly event: NotificationEvent; readonly notices?: readonly string[] }
  | { readonly ok: false; readonly problems: string[] };

/** Where a callout carries its callback path: `data.callbackUriPath` when the sender set it (any
 * value but null), else `callbackUriPath` beside `data`; `field` names it as the sender wrote it,
 * undefined when neither is there. */
function calloutPath(callout: Obj | undefined, data: Obj): { path: unknown; field?: string } {
  if (data.callbackUriPath !== undefined && data.callbackUriPath !== null)
    return { path: data.callbackUriPath, field: 'callout.data.callbackUriPath' };
  if (callout?.callbackUriPath !== undefined && callout.callbackUriPath !== null)
    return { path: callout.callbackUriPath, field: 'callout.callbackUriPath' };
  return { path: undefined };
}

/** A title of only blank characters is no title, as an empty one is: the card keeps its heading.
 * Also read where a stored event is rendered, since an earlier release kept such a title as written. */
export function givenTitle(title: string): string {
  return /^[\s\u200b-\u200d\u2060]*$/.test(title) ? '' : title;
}
/** `now` (epoch ms) is the intake's clock: a moment an event states that is not ahead of it is
 * taken with a notice. */
export function parseEvent(body: unknown, now: number = Date.now()): ParsedEvent {
  const p = new Problems();
  if (!isObj(body)) return { ok: false, problems: ['The body must be a JSON object.'] };
  const eventId = body.eventId;
  if (typeof eventId !== 'string' || !EVENT_ID_RE.test(eventId)) {
    p.add('eventId must be 1-128 characters of letters, digits, ".", "_", ":" or "-".');
  } else if (DOT_SEGMENT.test(eventId)) {
    p.add(
      'eventId may not be "." or "..": a URL client removes them from the status URL ' +
        '/api/notifications/{eventId}, so its GET would not reach the event.',
    );
  } else if (RESERVED_EVENT_ID.test(eventId)) {
    p.add('eventId may not begin with "action:", "reminder:" or "digest:": the bot names its own alerts so.');
  }
  const kind = body.kind;
  if (typeof kind !== 'string' || !(EVENT_KINDS as readonly string[]).includes(kind)) {
    p.add(`kind must be one of ${EVENT_KINDS.join(', ')}.`);
  }
  let target: NotificationTarget | null = null;
  const t = body.target;
  const sent = isObj(t) ? ['userId', 'channelId', 'category'].filter((k) => t[k] !== undefined) : [];
  // A key set to null counts as absent, as elsewhere in the intake: the target is the one that is not.
  const named = sent.filter((k) => (t as Obj)[k] !== null);
  // The key a target names; when all it sent are null, the one it sent (its field is told wrong).
  const key = named[0] ?? (sent.length === 1 ? sent[0] : undefined);
  // A target that names none of the three (empty, or a key misspelt) is told the forms, not that
  // one of their fields is wrong.
  if (!isObj(t) || key === undefined)
    p.add('target must be {"userId": "<Entra object id>"}, {"channelId": "19:…"} or {"category": "<category>"}.');
  else if (named.length > 1) p.add('target names one of userId, channelId or category, not several.');
  else if (key === 'userId') target = { userId: p.guid(t, 'userId', 'target') };
  else if (key === 'category') {
    if (isCategoryId(t.category)) target = { category: t.category };
    else p.add(`target.category must be one of ${CATEGORY_IDS.join(', ')}.`);
  } else if (typeof t.channelId === 'string' && CHANNEL_RE.test(t.channelId)) target = { channelId: t.channelId };
  else p.add('target.channelId must be a Teams channel id like 19:…@thread.tacv2.');
  const title = givenTitle(p.text(body, 'title', '', 200));
  const details = p.text(body, 'details', '', 1000);
  const notices: string[] = [];
  const notice = (text: string) => notices.push(text);

  let item: Target | null = null;
  let facts: Array<{ title: string; value: string }> = [];
  let headline = '';
  let about = '';
  let requesterId: string | undefined;
  const k = kind as EventKind;
  switch (k) {
    case 'taskCallout': {
      // The payload Lifecycle Workflows sends to a custom task extension, passed through.
      const callout = isObj(body.callout) ? body.callout : undefined;
      const data = isObj(callout?.data) ? callout.data : undefined;
      if (!data) {
        p.add('callout.data is required: the custom task extension callout payload.');
        break;
      }
      // Lifecycle Workflows puts the path in data (a Logic App reads triggerBody()?['data']?['callbackUriPath']:
      // https://learn.microsoft.com/entra/id-governance/configure-logic-app-lifecycle-workflows);
      // callout.callbackUriPath is taken too. A problem names the one the sender sent, or both.
      const { path, field } = calloutPath(callout, data);
      const m = typeof path === 'string' ? CALLBACK_RE.exec(path) : null;
      if (!m) {
        p.add(
          `${field ?? 'callout.data.callbackUriPath (or callout.callbackUriPath)'} must be ` +
            '…/workflows/{id}/tasks/{id}/taskProcessingResults/{id}/…resume.',
        );
        break;
      }
      const [, w = '', tk = '', r = ''] = m;
      for (const [name, v] of [
        ['workflow', w],
        ['task', tk],
        ['taskProcessingResult', r],
      ] as const) {
        if (!isGuid(v)) p.guidProblem(`the ${name} id in ${field}`, v);
        const o = isObj(data[name]) ? (data[name] as Obj) : undefined;
        // Only a string can match; any other value (an object, a number) is a mismatch, and is
        // never converted, which would run a caller-supplied toString.
        if (o?.id !== undefined && (typeof o.id !== 'string' || o.id.toLowerCase() !== v.toLowerCase())) {
          p.add(`callout.data.${name}.id does not match ${field}.`);
        }
      }
      const subject = isObj(data.subject) ? data.subject : undefined;
      const who = p.name(subject, 'displayName', 'callout.data.subject', 200, notice);
      const taskName = p.name(
        isObj(data.task) ? data.task : undefined,
        'displayName',
        'callout.data.task',
        200,
        notice,
      );
      const wfName = p.name(
        isObj(data.workflow) ? data.workflow : undefined,
        'displayName',
        'callout.data.workflow',
        200,
        notice,
      );
      item = {
        operation: operationOfKind(k),
        ids: { workflowId: w.toLowerCase(), taskId: tk.toLowerCase(), taskProcessingResultId: r.toLowerCase() },
      };
      about = `${taskName || 'A custom task'}${who ? ` for ${who}` : ''}`;
      headline = `${about} is waiting for a decision.`;
      about += '.';
      facts = [
        ...(wfName ? [{ title: 'Workflow', value: wfName }] : []),
        ...(who ? [{ title: 'Subject', value: who }] : []),
      ];
      break;
    }
    case 'roleRequest':
    case 'groupRequest':
    case 'accessRequest':
    case 'roleApproval':
    case 'groupApproval':
    case 'accessApproval': {
      // The approval kinds carry the same payload: the request waiting for the addressee's decision.
      const requestId = p.guid(body, 'requestId', '');
      const principal = p.name(body, 'principalName', '', 200, notice);
      const stated = body.principalId !== undefined && body.principalId !== null;
      requesterId = stated ? p.guid(body, 'principalId', '') : undefined;
      const role = k === 'roleRequest' || k === 'roleApproval';
      const group = k === 'groupRequest' || k === 'groupApproval';
      const thing = p.name(body, role ? 'roleName' : group ? 'groupName' : 'accessPackageName', '', 200, notice);
      const duration = p.text(body, 'duration', '', 40);
      item = { operation: operationOfKind(k), ids: { requestId } };
      const what = role ? 'the role' : group ? 'access to the group' : 'the access package';
      // A person reads "your"; a channel's or a category's readers are not all approvers (nor is
      // each of them one), so the card says whose decision it waits for without claiming it is theirs.
      // Addressed to its requester, a request they may not decide waits for someone else.
      const barred = toBarredRequester({ item, target, requesterId });
      const whose: Whose = barred ? "another approver's" : target && 'userId' in target ? 'your' : "an approver's";
      const waits = k.endsWith('Approval') ? waitsFor(whose) : '';
      about = `${principal || 'Someone'} requested ${thing || what}${duration ? ` for ${duration}` : ''}.`;
      headline = `${about}${waits}`;
      break;
    }
    case 'workflowRun': {
      const workflowId = p.guid(body, 'workflowId', '');
      const runId = p.guid(body, 'runId', '');
      const name = p.name(body, 'workflowName', '', 200, notice);
      item = { operation: operationOfKind(k), ids: { workflowId, runId } };
      headline = `The workflow ${name ? `"${name}" ` : ''}is running.`;
      about = `A run of the workflow${name ? ` "${name}"` : ''}.`;
      break;
    }
    default: {
      // An unknown kind was already reported above. A catalog entry with a new kind does not
      // compile until its payload has a case here.
      const unhandled: never = k;
      void unhandled;
      break;
    }
  }
  const approvalExpiresAt = EVENT_KINDS.includes(k) ? statedApprovalExpiry(p, body, k, now, notice) : undefined;
  const requestCreatedAt = EVENT_KINDS.includes(k) ? statedRequestCreated(p, body, k, now, notice) : undefined;
  const requestAction = statedRequestAction(body, kind, (problem) => p.add(problem));
  if (p.list.length > 0 || !item || !target)
    return { ok: false, problems: p.list.length ? p.list : ['The event is incomplete.'] };
  return {
    ok: true,
    event: {
      eventId: eventId as string,
      kind: k,
      target,
      item,
      decisions: decisionNames(CATALOG[item.operation]),
      title,
      text: details ? `${headline} ${details}` : headline,
      facts,
      about,
      ...(approvalExpiresAt !== undefined ? { approvalExpiresAt } : {}),
      ...(requestCreatedAt !== undefined ? { requestCreatedAt } : {}),
      ...(requestAction !== undefined ? { requestAction } : {}),
      ...(requesterId ? { requesterId } : {}),
    },
    ...(notices.length > 0 ? { notices } : {}),
  };
}

type Whose = 'your' | "another approver's" | "an approver's";
const WHOSE: readonly Whose[] = ['your', "another approver's", "an approver's"];

/** The sentence an approval event's headline ends with. */
const waitsFor = (whose: Whose): string => ` It waits for ${whose} decision.`;

/**
 * An approval event's text without its headline's "It waits for … decision.": the card of an
 * approval whose time ended offers no decision, so it no longer says one is awaited. The headline
 * comes first in the text, so the earliest such sentence, whoever it names, is the headline's: the
 * sender's details may hold another one ("your" in a category's card), which stays as sent.
 */
export function withoutWaiting(text: string): string {
  let first: { at: number; length: number } | null = null;
  for (const whose of WHOSE) {
    const sentence = waitsFor(whose);
    const at = text.indexOf(sentence);
    if (at >= 0 && (first === null || at < first.at)) first = { at, length: sentence.length };
  }
  return first ? text.slice(0, first.at) + text.slice(first.at + first.length) : text;
}
