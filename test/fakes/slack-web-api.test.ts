import { ErrorCode, type Logger, LogLevel, WebClient, type WebClientOptions } from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeSlack, type FakeWorkspace, startFakeSlack } from "./slack-web-api.js";

const riverside: FakeWorkspace = {
  teamId: "T0RIVER01",
  teamName: "Riverside Food Bank",
  botToken: "xoxb-riverside",
  botUserId: "U0BOTRIVR",
  botId: "B0BOTRIVR",
  users: [
    { id: "U0MARIA01", name: "maria", realName: "Maria Chen", email: "maria@riverside.example", isAdmin: true },
    { id: "U0SAM0001", name: "sam", realName: "Sam Ortiz" },
  ],
  channels: [{ id: "C0GENERAL", name: "general" }],
};

const lakeside: FakeWorkspace = {
  teamId: "T0LAKE001",
  teamName: "Lakeside Shelter",
  enterpriseId: "E0GRID001",
  enterpriseName: "Lakeside Group",
  botToken: "xoxb-lakeside",
  botUserId: "U0BOTLAKE",
  botId: "B0BOTLAKE",
};

const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });

/** The client logs every failure it sees; these tests fail on purpose. */
const quiet: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};

let fake: FakeSlack;

function client(token?: string, options: WebClientOptions = {}): WebClient {
  return new WebClient(token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quiet, ...options });
}

/** The platform error a WebClient call rejects with. */
async function slackError(call: Promise<unknown>): Promise<{ code: string; data: Record<string, unknown> }> {
  const error = await call.then(
    () => expect.fail("expected the call to fail"),
    (e: unknown) => e,
  );
  return error as { code: string; data: Record<string, unknown> };
}

beforeEach(async () => {
  fake = await startFakeSlack({ clientId: "111.222", clientSecret: "s3cret" });
  fake.addWorkspace(riverside);
  fake.addWorkspace(lakeside);
});

afterEach(async () => {
  await fake.close();
});

describe("fake Slack Web API", () => {
  it("serves the Web API under /api/ on loopback", () => {
    expect(fake.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  });

  it("answers auth.test for a bot token, and records the call with its team", async () => {
    const result = await client(riverside.botToken).auth.test();
    expect(result).toMatchObject({
      ok: true,
      team: "Riverside Food Bank",
      team_id: "T0RIVER01",
      user_id: "U0BOTRIVR",
      bot_id: "B0BOTRIVR",
      is_enterprise_install: false,
    });
    expect(result.url).toMatch(/^https:\/\/.+\.slack\.com\/$/);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]).toMatchObject({ method: "auth.test", token: "xoxb-riverside", teamId: "T0RIVER01" });
    expect(fake.calls[0]?.at).toBeInstanceOf(Date);
  });

  it("posts messages and returns them newest first from conversations.history, with metadata on request", async () => {
    const web = client(riverside.botToken);
    const metadata = { event_type: "touch_logged", event_payload: { touch_id: "t-1" } };
    const first = await web.chat.postMessage({ channel: "C0GENERAL", text: "first", metadata });
    const second = await web.chat.postMessage({ channel: "#general", text: "second", blocks: [section("*second*")] });

    expect(first).toMatchObject({ ok: true, channel: "C0GENERAL", message: { text: "first", bot_id: "B0BOTRIVR" } });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(second.channel).toBe("C0GENERAL");

    // The form-encoded JSON fields arrive decoded in the recorded args.
    const posted = fake.callsTo("chat.postMessage");
    expect(posted[0]?.args.metadata).toEqual(metadata);
    expect(posted[1]?.args.blocks).toEqual([section("*second*")]);

    const history = await web.conversations.history({ channel: "C0GENERAL", include_all_metadata: true });
    expect(history.messages?.map((m) => m.text)).toEqual(["second", "first"]);
    expect(history.messages?.[1]?.metadata).toEqual(metadata);
    expect(history.has_more).toBe(false);

    const withoutMetadata = await web.conversations.history({ channel: "C0GENERAL" });
    expect(withoutMetadata.messages?.[1]?.metadata).toBeUndefined();

    const newest = await web.conversations.history({ channel: "C0GENERAL", limit: 1 });
    expect(newest.messages?.map((m) => m.text)).toEqual(["second"]);
    expect(newest.has_more).toBe(true);
    const after = await web.conversations.history({ channel: "C0GENERAL", oldest: first.ts });
    expect(after.messages?.map((m) => m.text)).toEqual(["second"]);
    const upTo = await web.conversations.history({ channel: "C0GENERAL", latest: second.ts, inclusive: true });
    expect(upTo.messages).toHaveLength(2);
  });

  it("updates and deletes messages, and answers ephemeral posts with message_ts", async () => {
    const web = client(riverside.botToken);
    const { ts } = await web.chat.postMessage({ channel: "C0GENERAL", text: "draft" });
    const updated = await web.chat.update({ channel: "C0GENERAL", ts: ts ?? "", text: "final" });
    expect(updated).toMatchObject({ ok: true, ts, text: "final" });
    const ephemeral = await web.chat.postEphemeral({ channel: "C0GENERAL", user: "U0MARIA01", text: "only you" });
    expect(ephemeral.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    await web.chat.delete({ channel: "C0GENERAL", ts: ts ?? "" });
    expect((await web.conversations.history({ channel: "C0GENERAL" })).messages).toEqual([]);
    expect((await slackError(web.chat.delete({ channel: "C0GENERAL", ts: ts ?? "" }))).data.error).toBe(
      "message_not_found",
    );
  });

  it("opens a direct message when posting to a user id", async () => {
    const web = client(riverside.botToken);
    const dm = await web.chat.postMessage({ channel: "U0MARIA01", text: "Welcome to Touchpoint" });
    expect(dm.channel).toMatch(/^D/);
    const info = await web.conversations.info({ channel: dm.channel ?? "" });
    expect(info.channel).toMatchObject({ is_im: true, user: "U0MARIA01" });
  });

  it("answers users.info and conversations.info, and not-found errors for strangers", async () => {
    const web = client(riverside.botToken);
    const { user } = await web.users.info({ user: "U0MARIA01" });
    expect(user).toMatchObject({
      id: "U0MARIA01",
      team_id: "T0RIVER01",
      name: "maria",
      real_name: "Maria Chen",
      is_admin: true,
      profile: { real_name: "Maria Chen", display_name: "maria", email: "maria@riverside.example" },
    });
    expect((await web.users.info({ user: "U0SAM0001" })).user?.is_admin).toBe(false);
    expect((await slackError(web.users.info({ user: "U0NOBODY1" }))).data.error).toBe("user_not_found");

    const { channel } = await web.conversations.info({ channel: "C0GENERAL" });
    expect(channel).toMatchObject({ id: "C0GENERAL", name: "general", is_channel: true, is_private: false });
    expect((await slackError(web.conversations.info({ channel: "C0NOWHERE" }))).data.error).toBe("channel_not_found");

    // Workspaces do not see each other's users.
    expect((await slackError(client(lakeside.botToken).users.info({ user: "U0MARIA01" }))).data.error).toBe(
      "user_not_found",
    );
  });

  it("opens, updates and publishes views", async () => {
    const web = client(riverside.botToken);
    const modal = {
      type: "modal" as const,
      callback_id: "create_contact",
      title: { type: "plain_text" as const, text: "New contact" },
      blocks: [section("Who is it?")],
    };
    const opened = await web.views.open({ trigger_id: "123.456.abc", view: modal });
    expect(opened.view).toMatchObject({ type: "modal", callback_id: "create_contact", team_id: "T0RIVER01" });
    expect(opened.view?.id).toMatch(/^V[A-Z0-9]+$/);
    expect(opened.view?.hash).toBeTruthy();

    const { id = "", hash = "" } = opened.view ?? {};
    const updated = await web.views.update({ view_id: id, hash, view: modal });
    expect(updated.view?.id).toBe(id);
    expect(updated.view?.hash).not.toBe(hash);
    const stale = await slackError(web.views.update({ view_id: id, hash, view: modal }));
    expect(stale.data.error).toBe("hash_conflict");

    const home = await web.views.publish({ user_id: "U0MARIA01", view: { type: "home", blocks: [section("Hi")] } });
    expect(home.view).toMatchObject({ type: "home", blocks: [section("Hi")] });
    const again = await web.views.publish({ user_id: "U0MARIA01", view: { type: "home", blocks: [] } });
    expect(again.view?.id).toBe(home.view?.id);
  });

  it("refuses unknown and revoked tokens", async () => {
    expect((await slackError(client("xoxb-unknown").auth.test())).data.error).toBe("invalid_auth");
    expect((await slackError(client().auth.test())).data.error).toBe("not_authed");

    fake.revokeToken(riverside.botToken);
    const revoked = await slackError(client(riverside.botToken).chat.postMessage({ channel: "C0GENERAL", text: "x" }));
    expect(revoked).toMatchObject({ code: ErrorCode.PlatformError, data: { ok: false, error: "token_revoked" } });
    // The call is still recorded against its team, so tests can prove nothing more was attempted.
    expect(fake.callsTo("chat.postMessage")[0]).toMatchObject({ teamId: "T0RIVER01", status: 200 });
    // Other workspaces are unaffected.
    expect((await client(lakeside.botToken).auth.test()).ok).toBe(true);
  });

  it("exchanges a registered OAuth code once, and refuses unknown codes and wrong secrets", async () => {
    fake.addOAuthCode("code-river", { teamId: "T0RIVER01", userId: "U0MARIA01", scopes: ["chat:write", "commands"] });
    fake.addOAuthCode("code-grid", {
      teamId: "T0LAKE001",
      userId: "W0ADMIN01",
      scopes: ["chat:write"],
      isEnterpriseInstall: true,
    });
    const web = client();
    const credentials = { client_id: "111.222", client_secret: "s3cret" };

    const installed = await web.oauth.v2.access({ ...credentials, code: "code-river" });
    expect(installed).toMatchObject({
      ok: true,
      access_token: "xoxb-riverside",
      token_type: "bot",
      scope: "chat:write,commands",
      bot_user_id: "U0BOTRIVR",
      app_id: expect.stringMatching(/^A/),
      team: { id: "T0RIVER01", name: "Riverside Food Bank" },
      enterprise: null,
      authed_user: { id: "U0MARIA01" },
      is_enterprise_install: false,
    });
    expect(fake.callsTo("oauth.v2.access")[0]?.teamId).toBe("T0RIVER01");

    const org = await web.oauth.v2.access({ ...credentials, code: "code-grid" });
    expect(org).toMatchObject({
      team: null,
      enterprise: { id: "E0GRID001", name: "Lakeside Group" },
      is_enterprise_install: true,
    });

    for (const code of ["code-river", "never-issued"]) {
      expect((await slackError(web.oauth.v2.access({ ...credentials, code }))).data.error).toBe("invalid_code");
    }
    const wrongSecret = web.oauth.v2.access({ client_id: "111.222", client_secret: "nope", code: "x" });
    expect((await slackError(wrongSecret)).data.error).toBe("bad_client_secret");
  });

  it("answers 429 with Retry-After, which the client reports as a rate-limit error", async () => {
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 7 });
    const web = client(riverside.botToken, { rejectRateLimitedCalls: true });
    const error = (await slackError(web.chat.postMessage({ channel: "C0GENERAL", text: "hi" }))) as unknown as {
      code: string;
      retryAfter: number;
    };
    expect(error).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 7 });

    const [call] = fake.callsTo("chat.postMessage");
    expect(call).toMatchObject({ status: 429, response: { ok: false, error: "ratelimited" } });
    // A rate-limited call has no effect; the next one goes through.
    await web.chat.postMessage({ channel: "C0GENERAL", text: "hi" });
    expect((await web.conversations.history({ channel: "C0GENERAL" })).messages).toHaveLength(1);
  });

  it("lets a retrying client through after the Retry-After", async () => {
    fake.failNext("auth.test", { status: 429, retryAfter: 0 });
    const web = client(riverside.botToken, { retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } });
    expect((await web.auth.test()).ok).toBe(true);
    expect(fake.callsTo("auth.test").map((call) => call.status)).toEqual([429, 200]);
  });

  it("answers 500 when told to, which the client reports as an HTTP error", async () => {
    fake.failNext("users.info", { status: 500 }, 2);
    const web = client(riverside.botToken);
    for (let i = 0; i < 2; i++) {
      const error = (await slackError(web.users.info({ user: "U0MARIA01" }))) as unknown as { statusCode: number };
      expect(error).toMatchObject({ code: ErrorCode.HTTPError, statusCode: 500 });
    }
    expect((await web.users.info({ user: "U0MARIA01" })).ok).toBe(true);
  });

  it("answers a Slack error when told to", async () => {
    fake.failNext("chat.postMessage", { status: 200, error: "channel_is_archived" });
    const error = await slackError(client(riverside.botToken).chat.postMessage({ channel: "C0GENERAL", text: "x" }));
    expect(error.data.error).toBe("channel_is_archived");
  });

  it("refuses messages over Slack's Block Kit limits with invalid_blocks", async () => {
    const web = client(riverside.botToken);
    const blocks = Array.from({ length: 51 }, (_, i) => section(`row ${i}`));
    const error = await slackError(web.chat.postMessage({ channel: "C0GENERAL", text: "many", blocks }));
    expect(error.data).toMatchObject({
      ok: false,
      error: "invalid_blocks",
      response_metadata: { messages: ["[ERROR] no more than 50 items allowed [json-pointer:/blocks]"] },
    });
    expect((await web.conversations.history({ channel: "C0GENERAL" })).messages).toEqual([]);
    await web.chat.postMessage({ channel: "C0GENERAL", text: "fifty", blocks: blocks.slice(0, 50) });

    const button = { type: "button", text: { type: "plain_text", text: "x".repeat(76) }, action_id: "a", value: "v" };
    const tooBig = [
      section("y".repeat(3001)),
      {
        type: "actions",
        elements: [button, { ...button, text: { type: "plain_text", text: "ok" }, value: "z".repeat(2001) }],
      },
      {
        type: "actions",
        elements: [{ ...button, text: { type: "plain_text", text: "ok" }, action_id: "q".repeat(256) }],
      },
    ];
    const limits = await slackError(web.chat.postMessage({ channel: "C0GENERAL", text: "big", blocks: tooBig }));
    expect(limits.data.errors).toEqual([
      "must be less than 3001 characters [json-pointer:/blocks/0/text/text]",
      "must be less than 76 characters [json-pointer:/blocks/1/elements/0/text/text]",
      "must be less than 2001 characters [json-pointer:/blocks/1/elements/1/value]",
      "must be less than 256 characters [json-pointer:/blocks/2/elements/0/action_id]",
    ]);
  });

  it("refuses views over the limits the way Slack does for views, with invalid_arguments", async () => {
    const web = client(riverside.botToken);
    const blocks = Array.from({ length: 101 }, (_, i) => section(`row ${i}`));
    const title = { type: "plain_text" as const, text: "Touchpoint" };
    const error = await slackError(web.views.open({ trigger_id: "1.2.3", view: { type: "modal", title, blocks } }));
    expect(error.data).toMatchObject({
      error: "invalid_arguments",
      response_metadata: { messages: ["[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]"] },
    });
    const hundred = await web.views.open({
      trigger_id: "1.2.3",
      view: { type: "modal", title, blocks: blocks.slice(1) },
    });
    expect(hundred.ok).toBe(true);
  });

  it("records response_url posts", async () => {
    const url = fake.responseUrl("cmd-1");
    const answer = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ response_type: "ephemeral", text: "Logged." }),
    });
    expect(await answer.json()).toEqual({ ok: true });
    expect(fake.callsTo("response_url")[0]).toMatchObject({
      path: "/response/cmd-1",
      token: undefined,
      args: { response_type: "ephemeral", text: "Logged." },
    });
  });

  it("accepts JSON bodies and answers unknown methods", async () => {
    const post = (method: string, body: unknown) =>
      fetch(`${fake.apiUrl}${method}`, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8", authorization: `Bearer ${riverside.botToken}` },
        body: JSON.stringify(body),
      }).then((r) => r.json());
    expect(await post("chat.postMessage", { channel: "C0GENERAL", text: "json" })).toMatchObject({ ok: true });
    expect(fake.callsTo("chat.postMessage")[0]?.args).toEqual({ channel: "C0GENERAL", text: "json" });
    expect(await post("admin.users.list", {})).toEqual({ ok: false, error: "unknown_method" });
  });

  it("resolves waitFor for calls made before and after it is asked", async () => {
    const web = client(riverside.botToken);
    await web.chat.postMessage({ channel: "C0GENERAL", text: "early" });
    expect((await fake.waitFor("chat.postMessage")).args.text).toBe("early");

    const later = fake.waitFor("chat.postMessage", (call) => call.args.text === "later");
    await web.chat.postMessage({ channel: "C0GENERAL", text: "not yet" });
    void web.chat.postMessage({ channel: "C0GENERAL", text: "later" });
    const call = await later;
    expect(call).toMatchObject({ method: "chat.postMessage", teamId: "T0RIVER01", args: { text: "later" } });

    await expect(fake.waitFor("views.open", undefined, 50)).rejects.toThrow(/views\.open.*50 ms/);
  });
});
