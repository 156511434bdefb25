// The handler's card vocabulary, built from the templates in cards/ and the wording in src/cards.

import { summaryLine } from '../alerts/cards';
import { PASSWORD_RESET_PAGES } from '../configClouds';
import { CardButton, CardData, renderCard } from '../cards/render';
import { AskedBy } from '../cards/signInWording';
import { adminCenterOnly, explain, explainAfter401 } from '../cards/wording';
import { describeOutcome } from '../cards/outcomeWording';
import { ownRequestCard } from '../cards/refusalWording';
import { endedWordsFor } from '../cards/endedWording';
import type { CardAbout } from '../domain/cardActionPorts';
import { DomainError, SignInRequiredError } from '../domain/errors';
import type { HelpExamples } from '../domain/helpExamples';
import { CATALOG, CLOUD_NAMES, Cloud, Target, decisionNames, graphCannotDecide, typedIdOf } from '../domain/operations';
import { approvalMomentOf } from '../notifications/approvalMoment';
import { NotificationEvent, givenTitle, withoutWaiting } from '../notifications/events';
import { toBarredRequester } from '../notifications/ownRequest';
import { ButtonData, buttonData, justificationInputId } from './cardActions';
import { FIXED_COMMANDS, GRAMMAR, GrammarRule, usageOf } from './commands';
import { Reply, ReplyCards } from './governanceBot';
import { shownUserName } from './turnUser';

const PLACEHOLDER = '00000000-0000-0000-0000-000000000000';

/** The channel alert commands: contract §3 lists them among the commands, so help shows them too
 * (a channel's members would otherwise never learn of them). They work in a team channel only. */
const ALERTS_HELP = [
  {
    description: "In a team channel: this channel's alert settings",
    usage: 'alerts',
    example: 'e.g. alerts',
  },
  {
    description: 'In a team channel: announce a category here',
    usage: 'alerts on <category>',
    example: 'e.g. alerts on role-requests',
  },
  {
    description: 'In a team channel: stop announcing a category here',
    usage: 'alerts off <category>',
    example: 'e.g. alerts off role-requests',
  },
];

/** One line of at most 120 UTF-16 units, cut between whole characters (summaryLine). */
function oneLine(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${summaryLine(line, 119)}…` : line;
}

/** A command as typed, with the demo ids of its catalog entry, or of the command itself when it
 * names its own (or placeholders), and a decision. */
export function exampleOf(rule: GrammarRule, ex: Readonly<Record<string, string>> | null): string {
  const spec = CATALOG[rule.operation];
  const command = [spec.command, ...spec.decisions.map((d) => d.command)].find(
    (c) => c?.words.join(' ') === rule.words.join(' '),
  );
  const keys = { ...spec.demoExample, ...command?.demoExample };
  const id = (name: string): string => {
    const key = keys[name];
    return (ex && key !== undefined ? ex[key] : undefined) ?? PLACEHOLDER;
  };
  const tail = typeof rule.decision === 'object' ? ` ${rule.decision.oneOf[0] ?? ''}` : '';
  // A PIM approval's policy asks the approver for a reason by default: its example gives one.
  const why = rule.justification?.required
    ? ' Not needed this quarter'
    : rule.justification?.requiredOnCard
      ? ' Confirmed with the requester'
      : '';
  return `${rule.words.join(' ')} ${rule.ids.map(id).join(' ')}${tail}${why}`;
}

export function createReplyCards(opts: { cloud: Cloud; examples: HelpExamples | null }): ReplyCards {
  const { cloud, examples } = opts;
  // Where an expired password is changed in this cloud (none named where none is known).
  const passwordResetPage = PASSWORD_RESET_PAGES[cloud];
  return {
    passwordResetPage,
    help(): Reply {
      const fixed = (c: { description: string; usage: string }) => ({
        description: c.description,
        usage: c.usage,
        example: `e.g. ${c.usage}`,
      });
      const commands = [
        fixed(FIXED_COMMANDS.help),
        fixed(FIXED_COMMANDS.myApprovals),
        fixed(FIXED_COMMANDS.myRequests),
        ...GRAMMAR.map((rule) => {
          const offered = CATALOG[rule.operation].clouds.includes(cloud);
          return {
            description: offered ? rule.description : `${rule.description} (not offered in ${CLOUD_NAMES[cloud]})`,
            usage: usageOf(rule),
            example: `e.g. ${exampleOf(rule, examples)}`,
          };
        }),
        fixed(FIXED_COMMANDS.signOut),
        ...ALERTS_HELP,
      ];
      return {
        attachment: renderCard('help', {
          intro:
            'Cancel and resume Microsoft Entra ID Governance work without leaving Teams. Every action runs as you: your own permissions, your name in the Entra audit log.',
          commands,
          note: examples
            ? 'Sandbox: these example ids exist in the simulated tenant, so every example works as typed. Type demo to receive notification cards with buttons. In a group chat or a channel, @mention the bot first.'
            : 'Replace the example ids with real ones (GUIDs) from the notification or the Entra admin center. In a group chat or a channel, @mention the bot first.',
        }),
        summary: 'Governance Bot commands',
      };
    },
    usage({ problem, brief, usage, heading }, help: string): Reply {
      return {
        attachment: renderCard('usage', {
          heading: heading ?? 'I did not understand that',
          problem,
          usages: usage.split('\n').map((line) => ({ line })),
          askHelp: help,
        }),
        // As the card reads: the heading when the command was understood, then the problem (which
        // itself says "is not a command" when it was not).
        summary: oneLine(heading ? `${heading}. ${brief ?? problem}` : (brief ?? problem)),
      };
    },
    outcome(outcome, actorName): Reply {
      // The sender's name as Teams gave it: a typed command in a channel is answered for all to read.
      const name = shownUserName(actorName);
      const d = describeOutcome(outcome, { at: new Date(), passwordResetPage, ...(name ? { actorName: name } : {}) });
      const attachment = d.card === 'result' ? renderCard('result', d.data) : renderCard('error', d.data);
      return { attachment, summary: oneLine(d.summary) };
    },
    info(title: string, text: string): Reply {
      return { attachment: renderCard('info', { title, text }), summary: oneLine(title) };
    },
    item(target, view) {
      return itemCard(target, view);
    },
    errorWords(error: DomainError, target: Target): string {
      // Only a click's answer carries these words: what to do again is to press the button.
      const w = explain(error, CATALOG[target.operation], target, 'button', passwordResetPage);
      return `${w.title}. ${w.what} ${w.next}`;
    },
    signInProblem(
      error: SignInRequiredError,
      target: Target | null,
      by: AskedBy = 'command',
      graphRefused = false,
    ): Reply {
      const spec = CATALOG[target?.operation ?? 'cancelRoleRequest'];
      // After Graph's 401 the words say it was sent (explain knows of no 401 here).
      const words = graphRefused
        ? explainAfter401(error, spec, by, passwordResetPage)
        : explain(error, spec, undefined, by, passwordResetPage);
      return {
        attachment: renderCard('error', {
          ...words,
          style: 'attention',
          facts: target ? spec.idNames.map((n) => ({ title: n, value: typedIdOf(target, n) })) : [],
          support: graphRefused
            ? 'Microsoft Graph refused the sign-in it was sent with (401): nothing was changed.'
            : 'Nothing was sent to Microsoft Graph.',
        }),
        summary: oneLine(`${words.title}: ${words.next}`),
      };
    },
  };
}

/**
 * The buttons a card about this item carries: one per decision of its catalog entry. A decision
 * that requires a justification (deny), or requires it on a card (a PIM approve), opens a required
 * text box first; its value arrives merged into the action's data under the input's id.
 */
export function buttonsFor(target: Target): CardButton[] {
  return CATALOG[target.operation].decisions.map((d) => {
    const { decision: _ignored, justification: _typed, ...rest } = target;
    const asked: Target = d.name === null ? rest : { ...rest, decision: d.name };
    const why = d.justification?.required || d.justification?.requiredOnCard ? d.justification : null;
    const input = why ? justificationInputId(asked) : '';
    // A box asked for on cards only (a PIM approve) is named in the data: pressed empty it sends no
    // field, which without the name reads as a card posted before it asked (cardActions.ts).
    const named: Pick<ButtonData, 'why'> = why && !why.required ? { why: 'card' } : {};
    return {
      title: d.button,
      data: { ...buttonData(asked), ...named },
      input,
      inputLabel: why ? `Why? (required, at most ${why.maxLength} characters)` : '',
      inputError: why ? `Say why, in at most ${why.maxLength} characters.` : '',
      maxLength: why?.maxLength ?? 0,
    };
  });
}

function targetFacts(target: Target): Array<{ title: string; value: string }> {
  return CATALOG[target.operation].idNames.map((n) => ({ title: n, value: target.ids[n] ?? '' }));
}

/** A card about an item: with its buttons while it is actionable, without them once settled. An
 * empty `text` shows no line (a press's answer knows the item, not the notification's words). */
export function itemCard(
  target: Target,
  view: {
    text: string;
    notice?: string;
    noticeStyle?: CardData['actionable']['noticeStyle'];
    settled: boolean;
    title?: string;
    facts?: ReadonlyArray<{ title: string; value: string }>;
    /** What the pressed card said its item was (its binding's): its heading, line and facts. */
    about?: CardAbout;
  },
): Reply {
  const spec = CATALOG[target.operation];
  const about = view.about;
  const title = view.title ?? (about?.title || spec.title);
  return {
    attachment: renderCard('actionable', {
      title,
      about: about?.line ?? '',
      text: view.text,
      facts: [...(view.facts ?? about?.facts ?? []), ...targetFacts(target)],
      notice: view.notice ?? '',
      noticeStyle: view.noticeStyle ?? 'emphasis',
      actions: view.settled ? [] : buttonsFor(target),
    }),
    summary: oneLine(view.notice ? `${title}: ${view.notice}` : view.text ? `${title}: ${view.text}` : title),
  };
}

/**
 * The card a notification event is delivered as, to a chat or a channel (a category's channels get
 * the same card). A PIM extension or renewal (the event's requestAction) has no buttons, since
 * Microsoft Graph cannot decide it, and says where to decide it in the words of the card a click
 * on one leaves (clickAnswers.ts). An event that does not say its action keeps its buttons. A PIM
 * role or access package approval sent to its requester (the event's principalId) has none either:
 * "Approvers aren't able to approve their own role activation requests" (pim-approval-workflow),
 * "... their own access package requests" (entitlement-management-access-package-approval-policy).
 *
 * `now` is when the card is rendered to be sent (epoch ms): an event whose approval's moment
 * (approvalMoment.ts: an access package's approvalExpiresAt, a PIM request's createdDateTime + 24 h)
 * is not after it says the approval time ended then, and that Entra denied the request (access
 * package) or it expired (PIM) if no one had decided it (endedWording.ts). An approver's card offers
 * no Approve or Deny any more; the requester's keeps Cancel (an approved request waiting for its
 * start can still be cancelled, and a click reads Graph first). An event accepted before its moment
 * and sent after it (retries, an outage) is judged at the send, not at the intake.
 */
export function eventCard(
  event: Pick<NotificationEvent, 'item' | 'title' | 'text' | 'facts' | 'requestAction'> &
    Partial<Pick<NotificationEvent, 'target' | 'requesterId' | 'approvalExpiresAt' | 'requestCreatedAt'>>,
  now: number = Date.now(),
): Reply {
  // An earlier release kept a blank title as written: it is no title (givenTitle).
  const title = givenTitle(event.title);
  const view = { ...(title ? { title } : {}), text: event.text, facts: event.facts };
  const spec = CATALOG[event.item.operation];
  // Before the own-request card: that one says how to withdraw the request, which an approval sent
  // to its own requester no longer needs once its time ended.
  const endedAt = approvalMomentOf(event);
  if (endedAt !== undefined && endedAt <= now) {
    // Its own requester never decides it: their words, not an approver's.
    const offered = decisionNames(spec) === null ? 'cancel' : toBarredRequester(event) ? 'ownRequest' : 'decision';
    const ended = endedWordsFor(event.item.operation, endedAt, offered);
    return itemCard(event.item, {
      ...view,
      // An approval that no longer waits for anyone's decision does not say it does.
      ...(offered !== 'cancel' ? { text: withoutWaiting(event.text) } : {}),
      settled: offered !== 'cancel',
      notice: `${ended.title}. ${ended.what} ${ended.next}`,
      noticeStyle: 'warning',
    });
  }
  // A card to one person who asked for it themselves: Entra refuses them the decision. A channel's
  // card keeps its buttons for the approvers among its readers.
  if (toBarredRequester(event)) {
    const own = ownRequestCard(spec, event.item);
    return itemCard(event.item, { ...view, settled: true, notice: `${own.title}. ${own.what} ${own.next}` });
  }
  const action = event.requestAction;
  // A decision's buttons carry the moment its stage ends: a press after it sends nothing (cardAction.ts).
  const item = endedAt !== undefined && decisionNames(spec) !== null ? { ...event.item, endsAt: endedAt } : event.item;
  if (action === undefined || !graphCannotDecide(event.item.operation, action))
    return itemCard(item, { ...view, settled: false });
  const where = adminCenterOnly(spec, action);
  return itemCard(event.item, {
    ...view,
    settled: true,
    notice: `${where.title}. ${where.what} ${where.next}`,
    noticeStyle: 'warning',
  });
}
