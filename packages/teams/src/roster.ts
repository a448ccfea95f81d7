import { type TeamsChannelAccount, TeamsInfo, type TurnContext } from "botbuilder";

/** Someone in a Teams conversation, as Touchpoint keeps people: by Microsoft Entra object id. */
export interface TeamsPerson {
  readonly id: string;
  readonly name: string | null;
}

/** Teams pages a roster 50 to 500 at a time; chats come whole, whatever is asked. */
const PAGE_SIZE = 100;
/** Enough for a team of 5,000; a bigger one is looked through no further. */
const MAX_PAGES = 50;

/**
 * The conversation's people, page by page through the Bot Framework (botbuilder's
 * TeamsInfo.getPagedMembers: a team's members when asked in one of its channels, a chat's in a
 * chat). People without an Entra object id (anonymous guests) and the bot itself are left out.
 */
async function* rosterPages(context: TurnContext): AsyncGenerator<readonly TeamsPerson[]> {
  let continuationToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await TeamsInfo.getPagedMembers(context, PAGE_SIZE, continuationToken);
    yield (result.members ?? []).flatMap((member: TeamsChannelAccount) =>
      member.aadObjectId && member.id !== context.activity.recipient.id
        ? [{ id: member.aadObjectId, name: member.name || null }]
        : [],
    );
    continuationToken = result.continuationToken || undefined;
    if (!continuationToken) return;
  }
}

/** Up to `limit` people of the conversation, besides `except`, and whether there are more. Throws when Teams can't say. */
export async function conversationPeople(
  context: TurnContext,
  options: { readonly limit: number; readonly except: ReadonlySet<string> },
): Promise<{ readonly people: readonly TeamsPerson[]; readonly more: boolean }> {
  const people: TeamsPerson[] = [];
  for await (const page of rosterPages(context)) {
    for (const person of page) {
      if (options.except.has(person.id)) continue;
      if (people.length === options.limit) return { people, more: true };
      people.push(person);
    }
  }
  return { people, more: false };
}

/** Which of `ids` are people of the conversation, with their names. Throws when Teams can't say. */
export async function findPeople(
  context: TurnContext,
  ids: ReadonlySet<string>,
): Promise<ReadonlyMap<string, TeamsPerson>> {
  const found = new Map<string, TeamsPerson>();
  if (ids.size === 0) return found;
  for await (const page of rosterPages(context)) {
    for (const person of page) if (ids.has(person.id)) found.set(person.id, person);
    if (found.size === ids.size) break;
  }
  return found;
}
