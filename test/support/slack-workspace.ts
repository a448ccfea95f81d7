import { uniqueExternalId } from "@touchpoint/core/testing";
import type { OpenDatabase } from "@touchpoint/server/testing";
import { BOT_SCOPES } from "@touchpoint/slack";
import { expect } from "vitest";
import { blockProblems, type FakeSlack, type FakeWorkspace } from "../fakes/slack-web-api.js";
import { type SlackRequest, send, slashCommand } from "./slack-requests.js";

/** A Slack workspace as the tests use it: an installer (who becomes admin), a member, a nudge channel. */
export interface Workspace extends FakeWorkspace {
  readonly installer: string;
  readonly member: string;
  tenantId: string;
}

export function workspace(name: string): Workspace {
  const teamId = uniqueExternalId("T");
  return {
    teamId,
    teamName: name,
    botToken: `xoxb-${teamId}-secret-bot-token`,
    botUserId: `U0BOT${teamId.slice(-4)}`,
    botId: `B0BOT${teamId.slice(-4)}`,
    installer: "U0AMY",
    member: "U0SAM",
    users: [
      { id: "U0AMY", name: "amy", realName: "Amy Admin", isAdmin: false },
      { id: "U0SAM", name: "sam", realName: "Sam Staff", isAdmin: false },
      { id: "U0OWNER", name: "olga", realName: "Olga Owner", isAdmin: true },
    ],
    channels: [{ id: "C0NUDGES", name: "nudges" }],
    tenantId: "",
  };
}

/** Talks to a running server as Slack would: OAuth installs, signed requests, slash commands. */
export function slackClient(target: {
  readonly fake: () => FakeSlack;
  readonly serverUrl: () => string;
  readonly database: () => OpenDatabase;
  readonly secret: string;
}) {
  const post = (request: SlackRequest, options: { retryNum?: number; timestamp?: number; signature?: string } = {}) =>
    send(`${target.serverUrl()}/slack/events`, request, { secret: target.secret, ...options });

  /** The whole OAuth dance through Bolt's installer: install page, Slack's redirect back with a code. */
  async function install(ws: Workspace): Promise<Workspace> {
    const fake = target.fake();
    fake.addWorkspace(ws);
    const code = `code-${ws.teamId}`;
    fake.addOAuthCode(code, { teamId: ws.teamId, userId: ws.installer, scopes: [...BOT_SCOPES] });
    const page = await fetch(`${target.serverUrl()}/slack/install`);
    expect(page.status).toBe(200);
    const cookie = (page.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const state = /[?&]state=([^&"]+)/.exec(await page.text())?.[1];
    expect(state).toBeDefined();
    const done = await fetch(`${target.serverUrl()}/slack/oauth_redirect?code=${code}&state=${state}`, {
      headers: { cookie },
    });
    expect(done.status).toBe(200);
    const tenant = await target.database().storage.tenants.findByExternalId("slack", ws.teamId);
    if (!tenant) throw new Error("install created no tenant");
    ws.tenantId = tenant.id;
    return ws;
  }

  /** A slash command; resolves with the synchronous reply (the ack's body) and where later replies go. */
  async function command(
    ws: Workspace,
    name: string,
    text: string,
    options: { userId?: string; triggerId?: string; retryNum?: number } = {},
  ) {
    const responseUrl = target.fake().responseUrl(`${ws.teamId}-${Math.random().toString(36).slice(2)}`);
    const response = await post(
      slashCommand({
        command: name,
        text,
        teamId: ws.teamId,
        userId: options.userId ?? ws.installer,
        responseUrl,
        ...(options.triggerId && { triggerId: options.triggerId }),
      }),
      options.retryNum === undefined ? {} : { retryNum: options.retryNum },
    );
    expect(response.status).toBe(200);
    const body = (await response.text()) || "{}";
    const reply = JSON.parse(body) as { response_type?: string; text?: string; blocks?: unknown[] };
    expect(blockProblems(reply.blocks ?? [])).toEqual([]);
    return { reply, responseUrl, text: JSON.stringify(reply.blocks ?? []) };
  }

  return { post, install, command };
}
