import { queryRows } from "@touchpoint/db";
import { sql } from "@touchpoint/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { buttonPress, eventCallback, slashCommand, viewSubmission } from "../support/slack-requests.js";
import { useSlackServer } from "../support/slack-server.js";
import { type Workspace, workspace } from "../support/slack-workspace.js";

const slack = useSlackServer();
const { post, install, command } = slack;

async function touchesIn(tenantId: string) {
  return slack.database().storage.withTenant(tenantId, async (r) => {
    const contacts = await r.contacts.list();
    const all = await Promise.all(contacts.map((c) => r.touchpoints.listForContact(c.id, 100)));
    return all.flat();
  });
}

function buttonValue(blocks: unknown[], actionIdPrefix: string): string {
  for (const block of blocks as { type: string; elements?: { action_id?: string; value: string }[] }[]) {
    for (const element of block.elements ?? []) {
      if (element.action_id?.startsWith(actionIdPrefix)) return element.value;
    }
  }
  throw new Error(`no ${actionIdPrefix} button in ${JSON.stringify(blocks)}`);
}

describe("Slack: install, commands and tenancy, through Bolt and a fake Slack", () => {
  let riverside: Workspace;
  let harbor: Workspace;

  beforeAll(async () => {
    riverside = await install(workspace("Riverside Food Bank"));
    harbor = await install(workspace("Harbor Arts"));
  });

  it("installs two workspaces over OAuth: a tenant each, the installer an admin, a get-started DM", async () => {
    expect(riverside.tenantId).not.toBe(harbor.tenantId);
    const tenant = await slack.database().storage.tenants.get(riverside.tenantId);
    expect(tenant).toMatchObject({ platform: "slack", externalId: riverside.teamId, name: "Riverside Food Bank" });
    const admin = await slack
      .database()
      .storage.withTenant(riverside.tenantId, (r) => r.members.get(riverside.installer));
    expect(admin?.role).toBe("admin");
    const dm = await slack
      .fake()
      .waitFor(
        "chat.postMessage",
        (call) => call.teamId === riverside.teamId && call.args.channel === riverside.installer,
      );
    expect(JSON.stringify(dm.args.blocks)).toContain("Pick a channel");
    expect(dm.response.ok).toBe(true);
  });

  it("keeps bot tokens encrypted at rest", async () => {
    const rows = await queryRows<{ secret: string }>(
      slack.database().handle.db,
      sql`select secret from installations where key = ${riverside.teamId}`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.secret).toMatch(/^v2\./);
    expect(rows[0]?.secret).not.toContain(riverside.botToken);
  });

  it("logs a /touch in each workspace, in its own tenant only", async () => {
    await command(riverside, "/contact", 'add Jane Doe @janedoe segment:"major donor"');
    const { reply, text } = await command(riverside, "/touch", "@JaneDoe called about the gala");
    expect(reply.response_type).toBe("ephemeral");
    expect(reply.text).toBe("Logged a call with Jane Doe");
    expect(text).toContain("First touch with Jane Doe on record.");
    expect(text).toContain("undo_touch");

    // Harbor has no Jane: the same command there finds nobody, and offers to create her.
    const elsewhere = await command(harbor, "/touch", "@janedoe called about the gala");
    expect(elsewhere.reply.text).toBe("No contact matches @janedoe.");
    expect(await touchesIn(harbor.tenantId)).toEqual([]);
    expect(await touchesIn(riverside.tenantId)).toHaveLength(1);
  });

  it("answers a redelivered command (same trigger id) without a second touchpoint", async () => {
    await command(riverside, "/contact", "add Maria Chen maria@example.org");
    const trigger = `${Date.now()}.42.retry`;
    const first = await command(riverside, "/touch", "maria@example.org emailed the seating plan", {
      triggerId: trigger,
    });
    const again = await command(riverside, "/touch", "maria@example.org emailed the seating plan", {
      triggerId: trigger,
      retryNum: 1,
    });
    expect(first.reply.text).toBe("Logged an email with Maria Chen");
    expect(again.text).toContain("Already logged from this command");
    const touches = (await touchesIn(riverside.tenantId)).filter((t) => t.note?.includes("seating plan"));
    expect(touches).toHaveLength(1);
  });

  it("refuses a bad signature or a stale timestamp, writing nothing", async () => {
    const before = (await touchesIn(riverside.tenantId)).length;
    const request = slashCommand({
      command: "/touch",
      text: "@janedoe called",
      teamId: riverside.teamId,
      userId: riverside.installer,
      responseUrl: slack.fake().responseUrl("forged"),
    });
    expect((await post(request, { signature: "v0=0000" })).status).toBe(401);
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await post(request, { timestamp: sixMinutesAgo })).status).toBe(401);
    expect((await touchesIn(riverside.tenantId)).length).toBe(before);
  });

  it("says what was wrong with bad input, with an example, and writes nothing", async () => {
    const before = (await touchesIn(riverside.tenantId)).length;
    const empty = await command(riverside, "/touch", "");
    expect(empty.text).toContain("Say who you were in touch with.");
    expect(empty.text).toContain("Usage: /touch &lt;who&gt; [note]");
    const colleague = await command(riverside, "/touch", "<@U0SAM|sam> called");
    expect(colleague.text).toContain("colleagues aren't contacts");
    const future = await command(riverside, "/touch", "@janedoe called 2099-01-01");
    expect(future.text).toContain("is in the future");
    expect((await touchesIn(riverside.tenantId)).length).toBe(before);
  });

  it("undoes a touch once; a second Undo changes nothing", async () => {
    await command(riverside, "/contact", "add Dev Patel @devpatel");
    const logged = await command(riverside, "/touch", "@devpatel met about the budget");
    const touchpointId = buttonValue(logged.reply.blocks ?? [], "undo_touch");
    const press = () =>
      post(
        buttonPress({
          teamId: riverside.teamId,
          userId: riverside.installer,
          actionId: "undo_touch",
          value: touchpointId,
          responseUrl: logged.responseUrl,
        }),
      );
    expect((await press()).status).toBe(200);
    const first = await slack
      .fake()
      .waitFor("response_url", (c) => c.path.endsWith(logged.responseUrl.split("/").pop() ?? ""));
    expect(first.args.replace_original).toBe(true);
    expect(JSON.stringify(first.args.blocks)).toContain("is no longer on record");
    await press();
    const replies = () =>
      slack
        .fake()
        .callsTo("response_url")
        .filter((c) => c.path === first.path);
    await slack.fake().waitFor("response_url", () => replies().length === 2);
    expect(JSON.stringify(replies()[1]?.args.blocks)).toContain("was already undone");
    const devs = await slack.database().storage.withTenant(riverside.tenantId, async (r) => {
      const dev = (await r.contacts.findByHandle("devpatel"))[0];
      return dev ? r.touchpoints.listForContact(dev.id, 10) : [];
    });
    expect(devs).toEqual([]);
  });

  it("asks which contact when several match, logs with the one chosen, and refuses a second press", async () => {
    await command(riverside, "/contact", "add Pat Kim pat.kim@example.org");
    await command(riverside, "/contact", "add Pat Kim pkim@example.com");
    const asked = await command(riverside, "/touch", '"Pat Kim" coffee about volunteering');
    expect(asked.reply.text).toBe('Which contact did you mean by "Pat Kim"?');
    const value = buttonValue(asked.reply.blocks ?? [], "choose_contact_");
    const press = () =>
      post(
        buttonPress({
          teamId: riverside.teamId,
          userId: riverside.member,
          actionId: "choose_contact_0",
          value,
          responseUrl: asked.responseUrl,
        }),
      );
    await press();
    const path = `/response/${asked.responseUrl.split("/").pop()}`;
    const logged = await slack.fake().waitFor("response_url", (c) => c.path === path);
    expect(JSON.stringify(logged.args.blocks)).toContain("Logged a *meeting* with *Pat Kim*");
    await press();
    await slack.fake().waitFor(
      "response_url",
      () =>
        slack
          .fake()
          .callsTo("response_url")
          .filter((c) => c.path === path).length === 2,
    );
    const second = slack
      .fake()
      .callsTo("response_url")
      .filter((c) => c.path === path)[1];
    expect(JSON.stringify(second?.args.blocks)).toContain("Someone already handled this");
    // Said beside the confirmation, which keeps its Undo.
    expect(second?.args.replace_original).toBe(false);
    const touches = (await touchesIn(riverside.tenantId)).filter((t) => t.note?.includes("volunteering"));
    expect(touches).toHaveLength(1);
    expect(touches[0]?.loggedBy).toBe(riverside.member);
  });

  it("creates an unknown contact from a prefilled modal, then logs the waiting touch", async () => {
    const asked = await command(riverside, "/touch", "@newfriend dm thanks for the share");
    const value = buttonValue(asked.reply.blocks ?? [], "create_contact");
    await post(
      buttonPress({
        teamId: riverside.teamId,
        userId: riverside.installer,
        actionId: "create_contact",
        value,
        responseUrl: asked.responseUrl,
      }),
    );
    const opened = await slack.fake().waitFor("views.open", (c) => c.teamId === riverside.teamId);
    const view = opened.args.view as {
      blocks: { block_id: string; element: { initial_value?: string } }[];
      private_metadata: string;
    };
    expect(view.blocks.find((b) => b.block_id === "x_handle")?.element.initial_value).toBe("@newfriend");

    const values = (name: string, x: string) => ({
      name: { value: { type: "plain_text_input", value: name } },
      x_handle: { value: { type: "plain_text_input", value: x } },
      email: { value: { type: "plain_text_input", value: null } },
      segment: { value: { type: "plain_text_input", value: "supporter" } },
    });
    // A bad handle keeps the modal open with the error on that field.
    const refused = await post(
      viewSubmission({
        teamId: riverside.teamId,
        userId: riverside.installer,
        callbackId: "create_contact_view",
        values: values("Nia Friend", "@not a handle"),
        privateMetadata: view.private_metadata,
      }),
    );
    expect(await refused.json()).toMatchObject({ response_action: "errors", errors: { x_handle: expect.any(String) } });

    const accepted = await post(
      viewSubmission({
        teamId: riverside.teamId,
        userId: riverside.installer,
        callbackId: "create_contact_view",
        values: values("Nia Friend", "@newfriend"),
        privateMetadata: view.private_metadata,
      }),
    );
    expect(accepted.status).toBe(200);
    const path = `/response/${asked.responseUrl.split("/").pop()}`;
    const confirmation = await slack.fake().waitFor("response_url", (c) => c.path === path);
    expect(JSON.stringify(confirmation.args.blocks)).toContain("Logged an *X DM* with *Nia Friend*");
    const nia = await slack
      .database()
      .storage.withTenant(riverside.tenantId, (r) => r.contacts.findByHandle("newfriend"));
    expect(nia.map((c) => c.segment)).toEqual(["supporter"]);
  });

  it("stays within Block Kit's limits for a 10,000-character note and 200 matches", async () => {
    const note = `called ${"about the capital campaign ".repeat(400)}`.slice(0, 9_990);
    await command(riverside, "/contact", "add Lena Long @lenalong");
    const long = await command(riverside, "/touch", `@lenalong ${note}`);
    expect(long.reply.text).toBe("Logged a call with Lena Long");

    await slack
      .database()
      .storage.withTenant(riverside.tenantId, (r) =>
        r.contacts.createMany(Array.from({ length: 200 }, (_, i) => ({ name: "Alex Many", notes: `twin ${i}` }))),
      );
    const many = await command(riverside, "/touch", '"Alex Many" called');
    expect(many.text).toContain("200 contacts match");
    expect(many.text).toContain("and 175 more");
  });

  it("shows a contact card and the contacts going cold", async () => {
    const card = await command(riverside, "/contact", "show @janedoe");
    expect(card.text).toContain("*Jane Doe*");
    expect(card.text).toContain("major donor");
    expect(card.text).toContain("Last 90 days: 1 touches");
    await command(riverside, "/contact", "add Omar Quiet omar@example.org segment:board");
    const fortyDaysAgo = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
    await command(riverside, "/touch", `omar@example.org met about the board retreat ${fortyDaysAgo}`);
    // Today's nudge, privately, from the same composer as the morning post.
    const nudges = await command(riverside, "/nudges", "");
    expect(nudges.text).toContain("Good morning, Riverside Food Bank");
    expect(nudges.text).toContain("*Going cold*");
    expect(nudges.text).toMatch(/\*Omar Quiet\* · board · 4\d days since the last touch \(cadence 30\)/);
    expect(nudges.reply.text).toMatch(/^\d+ waiting for a reply, \d+ going cold, \d+ new voices$/);
  });

  it("lists in the Home tab the open mentions assigned to you or from contacts you own", async () => {
    const handle = "homefan";
    const mention = (postId: string, contactId: string | null, text: string) => ({
      platform: "x" as const,
      postId,
      author: {
        externalUserId: `ext-${postId}`,
        handle,
        name: null,
        followers: 10,
        following: 10,
        postCount: 100,
        defaultAvatar: false,
        createdAt: null,
        verified: null,
      },
      contactId,
      text,
      url: `https://x.com/${handle}/status/${postId}`,
      postedAt: new Date(),
      kind: "mention" as const,
      conversationId: postId,
    });
    await slack.database().storage.withTenant(riverside.tenantId, async (r) => {
      const fan = await r.contacts.create({ name: "Hana Fan", owner: riverside.member, identities: [] });
      await r.mentions.insertMany([
        mention("77001", fan.id, "Loved the <b>gala</b> & the food"),
        mention("77002", null, "Assigned to Sam"),
        mention("77003", null, "Nobody's"),
      ]);
      const id = (await r.mentions.listOpen(100)).find((m) => m.postId === "77002")?.id ?? "";
      expect(await r.mentions.assign(id, riverside.member)).toBe(true);
    });
    const before = slack.fake().calls.length;
    await post(
      eventCallback({
        teamId: riverside.teamId,
        event: { type: "app_home_opened", user: riverside.member, tab: "home", channel: "D0HOME" },
      }),
    );
    const home = await slack
      .fake()
      .waitFor("views.publish", (c) => c.args.user_id === riverside.member && slack.fake().calls.indexOf(c) >= before);
    const view = JSON.stringify(home.args.view);
    expect(view).toContain("Mentions waiting for your reply");
    expect(view).toContain("<https://x.com/homefan/status/77001|@homefan> (Hana Fan)");
    expect(view).toContain("Loved the &lt;b&gt;gala&lt;/b&gt; &amp; the food");
    expect(view).toContain("Assigned to Sam");
    expect(view).not.toContain("Nobody's");
  });

  it("shows settings in the Home tab; admins can change them, others cannot", async () => {
    await post(
      eventCallback({
        teamId: riverside.teamId,
        event: { type: "app_home_opened", user: riverside.member, tab: "home", channel: "D0HOME" },
      }),
    );
    const memberHome = await slack.fake().waitFor("views.publish", (c) => c.args.user_id === riverside.member);
    expect(JSON.stringify(memberHome.args.view)).toContain("Only admins can change these.");

    const submit = (userId: string, timeZone: string) =>
      post(
        viewSubmission({
          teamId: riverside.teamId,
          userId,
          callbackId: "settings_view",
          values: {
            channel: { value: { type: "conversations_select", selected_conversation: "C0NUDGES" } },
            time: { value: { type: "timepicker", selected_time: "08:30" } },
            time_zone: { value: { type: "plain_text_input", value: timeZone } },
            "cadence:major donor": { value: { type: "number_input", value: "21" } },
            admins: { value: { type: "multi_users_select", selected_users: [riverside.installer, riverside.member] } },
          },
        }),
      );
    const refused = await submit(riverside.member, "America/Chicago");
    expect(await refused.json()).toMatchObject({
      response_action: "errors",
      errors: { admins: expect.stringContaining("Only Touchpoint admins") },
    });
    expect((await slack.database().storage.tenants.get(riverside.tenantId))?.timeZone).toBe("UTC");

    const badZone = await submit(riverside.installer, "EST");
    expect(await badZone.json()).toMatchObject({
      response_action: "errors",
      errors: { time_zone: expect.stringContaining("abbreviation") },
    });

    const saved = await submit(riverside.installer, "America/Chicago");
    expect(saved.status).toBe(200);
    const tenant = await slack.database().storage.tenants.get(riverside.tenantId);
    expect(tenant).toMatchObject({ timeZone: "America/Chicago", nudgeTime: "08:30", nudgeChannel: "C0NUDGES" });
    expect(tenant?.settings.cadenceBySegment["major donor"]).toBe(21);
    const adminHome = await slack.fake().waitFor("views.publish", (c) => c.args.user_id === riverside.installer);
    expect(JSON.stringify(adminHome.args.view)).toContain("edit_settings");
  });

  it("opens settings for admins only; a Slack owner is no admin once admins exist", async () => {
    const admin = await command(riverside, "/touchpoint", "settings");
    expect(admin.reply).toEqual({});
    const opened = await slack
      .fake()
      .waitFor(
        "views.open",
        (c) =>
          c.teamId === riverside.teamId && (c.args.view as { callback_id?: string }).callback_id === "settings_view",
      );
    expect(opened.response.ok).toBe(true);
    for (const [ws, userId] of [
      [riverside, "U0OWNER"],
      [harbor, harbor.member],
    ] as const) {
      const refused = await command(ws, "/touchpoint", "settings", { userId });
      expect(refused.reply).toEqual({});
      const path = `/response/${refused.responseUrl.split("/").pop()}`;
      const answer = await slack.fake().waitFor("response_url", (c) => c.path === path);
      expect(JSON.stringify(answer.args.blocks)).toContain("Only Touchpoint admins can change settings");
    }
  });

  it("reads text as Slack escapes it: & < > typed by people, stored as typed", async () => {
    const added = await command(riverside, "/contact", "add Barnes &amp; Noble barnes@example.com");
    expect(added.reply.text).toBe("Added Barnes &amp; Noble");
    await command(riverside, "/touch", "barnes@example.com emailed re Q&amp;A, budget &lt; $5k");
    const barnes = await slack.database().storage.withTenant(riverside.tenantId, async (r) => {
      const [contact] = await r.contacts.findByName("Barnes & Noble");
      return contact ? { contact, touches: await r.touchpoints.listForContact(contact.id, 5) } : undefined;
    });
    expect(barnes?.contact.name).toBe("Barnes & Noble");
    expect(barnes?.touches[0]?.note).toBe("emailed re Q&A, budget < $5k");
  });

  it("refuses another workspace's touchpoint id: Undo in Harbor cannot touch Riverside's data", async () => {
    await command(riverside, "/contact", "add Kofi Mensah kofi@example.org");
    const logged = await command(riverside, "/touch", "kofi@example.org called about the 5k run");
    const touchpointId = buttonValue(logged.reply.blocks ?? [], "undo_touch");
    const responseUrl = slack.fake().responseUrl(`cross-${touchpointId}`);
    await post(
      buttonPress({
        teamId: harbor.teamId,
        userId: harbor.installer,
        actionId: "undo_touch",
        value: touchpointId,
        responseUrl,
      }),
    );
    const answer = await slack
      .fake()
      .waitFor("response_url", (c) => c.path.endsWith(encodeURIComponent(`cross-${touchpointId}`)));
    expect(JSON.stringify(answer.args.blocks)).toContain("That touchpoint no longer exists.");
    const touch = await slack.database().storage.withTenant(riverside.tenantId, (r) => r.touchpoints.get(touchpointId));
    expect(touch?.undoneAt).toBeNull();
  });

  it("forgets the tokens on uninstall and makes no further Web API calls for that workspace", async () => {
    const gone = await install(workspace("Closing Soon"));
    await command(gone, "/contact", "add Zed Last @zedlast");
    await slack
      .database()
      .storage.withTenant(gone.tenantId, (r) =>
        r.socialAccounts.connect({ platform: "x", handle: "closingsoon", externalUserId: "880", credentials: "t" }),
      );
    // tokens_revoked first this time, then app_uninstalled, then both again: each is harmless.
    const revoked = eventCallback({
      teamId: gone.teamId,
      event: { type: "tokens_revoked", tokens: { oauth: [], bot: [gone.botUserId] } },
    });
    expect((await post(revoked)).status).toBe(200);
    await expect.poll(() => slack.database().storage.installations.find("slack", gone.teamId)).toBeUndefined();
    // Its X account stops being polled too, until the app is installed again.
    await expect
      .poll(
        async () =>
          (await slack.database().storage.withTenant(gone.tenantId, (r) => r.socialAccounts.list()))[0]?.status,
      )
      .toBe("paused");
    for (const again of [eventCallback({ teamId: gone.teamId, event: { type: "app_uninstalled" } }), revoked]) {
      expect((await post(again)).status).toBe(200);
    }

    const callsBefore = slack.fake().calls.filter((c) => c.teamId === gone.teamId).length;
    const response = await post(
      slashCommand({
        command: "/touch",
        text: "@zedlast called",
        teamId: gone.teamId,
        userId: gone.installer,
        responseUrl: slack.fake().responseUrl("gone"),
      }),
    );
    expect(response.status).toBe(200);
    await post(
      eventCallback({ teamId: gone.teamId, event: { type: "app_home_opened", user: gone.installer, tab: "home" } }),
    );
    expect(slack.fake().calls.filter((c) => c.teamId === gone.teamId)).toHaveLength(callsBefore);
    expect(await touchesIn(gone.tenantId)).toEqual([]);
    // The data stays until an admin asks to erase it.
    expect(await slack.database().storage.withTenant(gone.tenantId, (r) => r.contacts.list())).toHaveLength(1);
  });
});
