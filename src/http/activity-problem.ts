/**
 * Is a parsed body an activity the bot can process? Each field the bot or botbuilder reads
 * without checking gets its shape checked here, so a malformed activity is answered 400 with the
 * reason instead of failing inside a turn.
 */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasStringId = (v: unknown): boolean => isObject(v) && typeof v.id === 'string';

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** Why a parsed body is not an activity we can process, or null when it is. */
export function activityProblem(body: unknown): string | null {
  if (!isObject(body)) return 'the body is not a JSON object';
  const a = body;
  if (typeof a.type !== 'string' || !a.type) return 'the activity has no "type"';
  if (typeof a.serviceUrl !== 'string' || !a.serviceUrl) return 'the activity has no "serviceUrl"';
  if (!isHttpUrl(a.serviceUrl)) return '"serviceUrl" is not an http(s) URL';
  if (!hasStringId(a.conversation)) return 'the activity has no "conversation.id"';
  if (!hasStringId(a.from)) return 'the activity has no "from.id"';
  if ((a.from as Json).aadObjectId !== undefined && typeof (a.from as Json).aadObjectId !== 'string') return '"from.aadObjectId" is not a string';
  if (!hasStringId(a.recipient)) return 'the activity has no "recipient.id"';
  if (a.text !== undefined && typeof a.text !== 'string') return '"text" is not a string';
  for (const key of ['membersAdded', 'membersRemoved']) {
    const members = a[key];
    if (members !== undefined && (!Array.isArray(members) || !members.every(hasStringId))) return `"${key}" is not a list of accounts with a string "id"`;
  }
  if (a.entities !== undefined) {
    if (!Array.isArray(a.entities)) return '"entities" is not an array';
    if (!a.entities.every(isObject)) return '"entities" holds something that is not an object';
    if (a.entities.some((e) => e.type === 'mention' && !hasStringId(e.mentioned))) return 'a mention entity has no "mentioned" with a string "id"';
  }
  if (a.channelData !== undefined && !isObject(a.channelData)) return '"channelData" is not an object';
  if (a.type === 'invoke' && a.name === 'adaptiveCard/action' && !isObject(a.value)) return '"value" of an adaptiveCard/action invoke is not an object';
  return null;
}
