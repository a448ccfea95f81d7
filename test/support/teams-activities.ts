import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { ConnectorCall, FakeTeamsConnector } from "../fakes/teams-connector.js";

/**
 * Bot Framework activities as Teams sends them (the shapes recorded in Microsoft's "Teams bot
 * conversation events" and "Messages in bot conversations" docs): the ids in Teams' formats, the
 * tenant both in `conversation.tenantId` and `channelData.tenant`, mentions as entities.
 */

export interface TeamsUser {
  /** The bot-specific id Teams gives a user: `29:1…`. */
  readonly id: string;
  readonly name: string;
  /** The user's Microsoft Entra object id: the same in every team and chat of the organization. */
  readonly aadObjectId: string;
}

/** An organization on Teams: its Entra tenant, a team with a channel, and two people. */
export interface TeamsOrg {
  readonly tenantId: string;
  readonly team: { readonly id: string; readonly name: string; readonly aadGroupId: string };
  /** The team's General channel: its id is the team's id. */
  readonly channelId: string;
  readonly installer: TeamsUser;
  readonly member: TeamsUser;
}

/** The bot, as activities name it: `28:` and the app id. */
export const BOT = { id: `28:${randomUUID()}`, name: "Touchpoint" } as const;

function teamsUserId(): string {
  return `29:1${Buffer.from(randomUUID()).toString("base64url").slice(0, 40)}`;
}

function threadId(): string {
  return `19:${randomUUID().replace(/-/g, "")}@thread.tacv2`;
}

export function teamsOrg(teamName: string): TeamsOrg {
  const id = threadId();
  return {
    tenantId: randomUUID(),
    team: { id, name: teamName, aadGroupId: randomUUID() },
    channelId: id,
    installer: { id: teamsUserId(), name: "Amy Admin", aadObjectId: randomUUID() },
    member: { id: teamsUserId(), name: "Sam Staff", aadObjectId: randomUUID() },
  };
}

/** A conversation the bot is in: a personal chat with one user, a group chat, or a channel thread. */
export interface Conversation {
  readonly id: string;
  readonly conversationType: "personal" | "groupChat" | "channel";
  readonly isGroup?: true;
}

export function personalChat(): Conversation {
  return { id: `a:1${Buffer.from(randomUUID()).toString("base64url")}`, conversationType: "personal" };
}

/** A group chat's id has the thread form, without the team's `tacv2`. */
export function groupChat(): Conversation {
  return { id: `19:${randomUUID().replace(/-/g, "")}@thread.v2`, conversationType: "groupChat", isGroup: true };
}

/** Teams message ids are millisecond timestamps. */
let lastActivityId = 0;
export function activityId(): string {
  lastActivityId = Math.max(Date.now(), lastActivityId + 1);
  return String(lastActivityId);
}

export type Activity = Record<string, unknown> & { readonly id: string; readonly conversation: Conversation };

function base(
  org: TeamsOrg,
  serviceUrl: string,
  from: TeamsUser,
  conversation: Conversation,
  channelData: Record<string, unknown>,
) {
  const now = new Date();
  return {
    id: activityId(),
    timestamp: now.toISOString(),
    localTimestamp: now.toISOString().replace("Z", "-05:00"),
    serviceUrl,
    channelId: "msteams",
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    conversation: { ...conversation, tenantId: org.tenantId },
    recipient: { id: BOT.id, name: BOT.name },
    locale: "en-US",
    entities: [{ type: "clientInfo", locale: "en-US", country: "US", platform: "Web", timezone: "America/New_York" }],
    channelData: { ...channelData, tenant: { id: org.tenantId } },
  };
}

/** Builds the activities of one organization, sent through one connector. */
export function teamsActivities(org: TeamsOrg, serviceUrl: () => string) {
  const teamData = { team: org.team, channel: { id: org.channelId } };
  return {
    /** A message typed in a personal chat with the bot. */
    personal(conversation: Conversation, text: string, from: TeamsUser = org.installer): Activity {
      return { ...base(org, serviceUrl(), from, conversation, {}), type: "message", text, textFormat: "plain" };
    },

    /** A channel message that @mentions the bot: the mention leads the text and is an entity. */
    channel(text: string, from: TeamsUser = org.installer): Activity {
      const id = activityId();
      const conversation: Conversation = {
        id: `${org.channelId};messageid=${id}`,
        conversationType: "channel",
        isGroup: true,
      };
      const activity = base(org, serviceUrl(), from, conversation, {
        ...teamData,
        teamsChannelId: org.channelId,
        teamsTeamId: org.team.id,
      });
      const mention = `<at>${BOT.name}</at>`;
      return {
        ...activity,
        id,
        type: "message",
        text: `${mention} ${text}\n`,
        textFormat: "plain",
        entities: [...activity.entities, { type: "mention", text: mention, mentioned: { id: BOT.id, name: BOT.name } }],
      };
    },

    /** A message in a group chat that @mentions the bot, as in a channel but with no team. */
    group(conversation: Conversation, text: string, from: TeamsUser = org.installer): Activity {
      const mention = `<at>${BOT.name}</at>`;
      const activity = base(org, serviceUrl(), from, conversation, {});
      return {
        ...activity,
        type: "message",
        text: `${mention} ${text}\n`,
        textFormat: "plain",
        entities: [...activity.entities, { type: "mention", text: mention, mentioned: { id: BOT.id, name: BOT.name } }],
      };
    },

    /** A button on a card the bot sent was pressed: a message with the button's data as `value`, no text. */
    submit(conversation: Conversation, replyToId: string, value: Record<string, unknown>, from = org.installer) {
      // Pressed in a channel, it carries the team as every channel activity does.
      const where = conversation.conversationType === "channel" ? teamData : {};
      const activity = base(org, serviceUrl(), from, conversation, {
        ...where,
        source: { name: "message" },
        legacy: { replyToId },
      });
      return { ...activity, type: "message", replyToId, value };
    },

    /**
     * The app added to (or removed from) the team: Teams' installationUpdate, in the team's General
     * channel; or, given a personal or group chat, added there (no team in its channelData).
     */
    installationUpdate(
      action: "add" | "remove" | "add-upgrade",
      from: TeamsUser = org.installer,
      chat?: Conversation,
    ): Activity {
      const conversation: Conversation = chat ?? { id: org.channelId, conversationType: "channel", isGroup: true };
      const channelData = chat
        ? { source: { name: "message" } }
        : { ...teamData, settings: { selectedChannel: { id: org.channelId } }, source: { name: "message" } };
      return {
        ...base(org, serviceUrl(), from, conversation, channelData),
        id: `f:${randomUUID()}`,
        type: "installationUpdate",
        action,
      };
    },

    /** The conversationUpdate Teams sends beside the installationUpdate: the bot among the members added. */
    botAdded(from: TeamsUser = org.installer, chat?: Conversation): Activity {
      const conversation: Conversation = chat ?? { id: org.channelId, conversationType: "channel", isGroup: true };
      const channelData = chat ? {} : { ...teamData, eventType: "teamMemberAdded" };
      return {
        ...base(org, serviceUrl(), from, conversation, channelData),
        id: `f:${randomUUID()}`,
        type: "conversationUpdate",
        membersAdded: [{ id: BOT.id }],
      };
    },
  };
}

/** An Adaptive Card the bot sent, and all its words (text, facts, inputs, button titles) for matching. */
export interface SentCard {
  readonly call: ConnectorCall;
  readonly card: {
    readonly version: string;
    readonly $schema: string;
    readonly body: unknown[];
    readonly actions?: unknown[];
  };
  readonly text: string;
  /** The data of the button with this title. */
  button(title: string): Record<string, string>;
}

export function sentCard(call: ConnectorCall): SentCard {
  const attachment = call.activity.attachments?.[0];
  expect(attachment?.contentType).toBe("application/vnd.microsoft.card.adaptive");
  const card = attachment?.content as SentCard["card"];
  const words: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) walk(child);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === "string" && ["text", "title", "value", "label"].includes(key)) words.push(value);
      else walk(value);
    }
  };
  walk(card.body);
  walk(card.actions ?? []);
  return {
    call,
    card,
    text: words.join("\n"),
    button(title) {
      const action = (card.actions ?? []).find((a) => (a as { title?: string }).title === title) as
        | { data: Record<string, string> }
        | undefined;
      if (!action) throw new Error(`no "${title}" button on ${JSON.stringify(card)}`);
      return action.data;
    },
  };
}

/**
 * What Teams sends back for a card's inputs when nothing is changed: each input's initial value by
 * its id (a multi-select's as "a,b"); inputs with no value are left out, as Teams leaves them.
 */
export function formValues(card: SentCard["card"]): Record<string, string> {
  const values: Record<string, string> = {};
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) walk(child);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const element = node as { type?: unknown; id?: unknown; value?: unknown; items?: unknown };
    if (typeof element.type === "string" && element.type.startsWith("Input.") && typeof element.id === "string") {
      if (element.value !== undefined && element.value !== "") values[element.id] = String(element.value);
      return;
    }
    walk(element.items);
  };
  walk(card.body);
  return values;
}

/** Talks to a running server as Teams (through the Bot Framework) would. */
export function teamsClient(target: { readonly fake: () => FakeTeamsConnector; readonly serverUrl: () => string }) {
  async function send(activity: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${target.serverUrl()}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(activity),
    });
  }

  /** Sends an activity and resolves with the bot's card replying to it (the one sent after `since`). */
  async function ask(activity: Activity): Promise<SentCard> {
    const since = target.fake().calls.length;
    const response = await send(activity);
    expect(response.status).toBe(200);
    const call = await target
      .fake()
      .waitFor((c) => target.fake().calls.indexOf(c) >= since && c.method === "POST" && c.replyToId === activity.id);
    expect(call.status).toBe(200);
    return sentCard(call);
  }

  /** Presses a button: resolves with the card that replaced the pressed one, or the reply beside it. */
  async function press(activity: Activity & { readonly replyToId: string }): Promise<SentCard> {
    const since = target.fake().calls.length;
    expect((await send(activity)).status).toBe(200);
    const call = await target.fake().waitFor((c) => {
      const i = target.fake().calls.indexOf(c);
      return i >= since && (c.updatesId === activity.replyToId || c.replyToId === activity.id);
    });
    expect(call.status).toBe(200);
    return sentCard(call);
  }

  return { send, ask, press };
}
