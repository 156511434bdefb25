// What an activity must carry before the bot framework sees it: where to answer (serviceUrl),
// in which conversation, from whom, and fields of the types the Bot Framework schema gives them
// (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#activity-object).
// Without this, botbuilder answers 500 for a null conversation or a number where text belongs,
// and with no serviceUrl it falls back to a public host and waits on its DNS.

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Invokes whose value the bot reads as an object. */
const OBJECT_VALUE_INVOKES = new Set([
  'adaptiveCard/action',
  'signin/tokenExchange',
  'signin/verifyState',
  'signin/failure',
]);

/**
 * Where replies may go: an https URL, or http on this machine (the Agents Playground posts
 * `http://localhost:56150/_connector`). No credentials in the URL.
 */
export function isAnswerableServiceUrl(value: unknown): boolean {
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'https:') return url.hostname !== '';
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Absent, null (some channels send explicit nulls) or a string. */
const optionalString = (v: unknown) => v === undefined || v === null || typeof v === 'string';

/** Null when the activity can be answered; otherwise a short reason, safe to send back. */
export function envelopeProblem(activity: Record<string, unknown>): string | null {
  if (typeof activity.type !== 'string' || activity.type === '') return 'The activity has no type.';
  // The channel's signing key must endorse the activity's channel; botframework-connector skips
  // that check for a null channelId (and fails on a missing one), so neither is answered.
  if (typeof activity.channelId !== 'string' || activity.channelId.trim() === '') return 'channelId is required.';
  if (!isAnswerableServiceUrl(activity.serviceUrl)) {
    return 'serviceUrl must be an https URL (or http on localhost).';
  }
  const conversation = activity.conversation;
  if (!isObject(conversation) || typeof conversation.id !== 'string' || conversation.id === '') {
    return 'conversation.id is required.';
  }
  if (!optionalString(conversation.conversationType) || !optionalString(conversation.tenantId)) {
    return 'conversation.conversationType and conversation.tenantId must be strings.';
  }
  const from = activity.from;
  if (!isObject(from) || typeof from.id !== 'string' || from.id === '') return 'from.id is required.';
  if (!optionalString(from.aadObjectId) || !optionalString(from.name)) {
    return 'from.aadObjectId and from.name must be strings.';
  }
  const recipient = activity.recipient;
  if (recipient !== undefined && recipient !== null && (!isObject(recipient) || !optionalString(recipient.id))) {
    return 'recipient must be an object with a string id.';
  }
  for (const key of ['id', 'text', 'name', 'channelId', 'replyToId', 'locale', 'textFormat', 'action'] as const) {
    if (!optionalString(activity[key])) return `${key} must be a string.`;
  }
  for (const key of ['entities', 'attachments', 'membersAdded', 'membersRemoved'] as const) {
    const list = activity[key];
    if (list !== undefined && list !== null && (!Array.isArray(list) || !list.every(isObject))) {
      return `${key} must be a list of objects.`;
    }
  }
  const channelData = activity.channelData;
  if (channelData !== undefined && channelData !== null && !isObject(channelData))
    return 'channelData must be an object.';
  const needsObjectValue =
    (activity.type === 'invoke' && OBJECT_VALUE_INVOKES.has(String(activity.name))) ||
    (activity.type === 'message' && activity.value !== undefined && activity.value !== null);
  if (needsObjectValue && !isObject(activity.value)) return 'value must be an object.';
  return null;
}
