import { queryRows } from "@touchpoint/db";
import { sql } from "@touchpoint/db/testing";
import { recordingLogger } from "@touchpoint/server/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { buttonPress, viewSubmission } from "../support/slack-requests.js";
import { useSlackServer } from "../support/slack-server.js";
import { type Workspace, workspace } from "../support/slack-workspace.js";

const log = recordingLogger();
const slack = useSlackServer({ env: { TOUCHPOINT_SCHEDULER: "off" }, logger: log.logger });
const { post, install, command } = slack;

/** Everything a command could have written for the tenant: contacts, touches, waiting touches. */
async function written(tenantId: string) {
  const [row] = await queryRows<{ contacts: number; touches: number; pending: number }>(
    slack.database().handle.db,
    sql`select (select count(*)::int from contacts where tenant_id = ${tenantId}) as contacts,
               (select count(*)::int from touchpoints where tenant_id = ${tenantId}) as touches,
               (select count(*)::int from pending_actions where tenant_id = ${tenantId}) as pending`,
  );
  if (!row) throw new Error("the counts query returned no row");
  return row;
}

describe("Slack: text PostgreSQL can't hold, through Bolt's own request handling", () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await install(workspace("Seaside Shelter"));
    await command(ws, "/contact", "add Jane Doe @janedoe");
  });

  it("answers a slash command holding a NUL or a control character clearly, and writes nothing", async () => {
    const before = await written(ws.tenantId);
    const touch = await command(ws, "/touch", "@janedoe called\u0000 about the gala");
    expect(touch.reply.response_type).toBe("ephemeral");
    expect(touch.reply.text).toBe(
      "The text holds a NUL character (U+0000) after “@janedoe called”; remove it and send it again.",
    );
    expect(touch.text).toContain("Usage: /touch");

    const add = await command(ws, "/contact", 'add "Sam\u0000 Lee" @samlee');
    expect(add.reply.text).toBe(
      'The text holds a NUL character (U+0000) after “add "Sam”; remove it and send it again.',
    );
    // A form-encoded body cannot carry half an emoji (it arrives as U+FFFD); a control character can.
    const tag = await command(ws, "/contact", "tag @janedoe gala\u0085");
    expect(tag.reply.text).toContain("holds an invisible control character (U+0085) after “tag @janedoe gala”");
    const find = await command(ws, "/contact", "find \u001b[2J");
    expect(find.reply.text).toContain("holds an invisible control character (U+001B) after “find ”");

    expect(await written(ws.tenantId)).toEqual(before);
    const jane = await slack.database().storage.withTenant(ws.tenantId, (r) => r.contacts.findByHandle("janedoe"));
    expect(jane.map((c) => c.tags)).toEqual([[]]);
  });

  it("keeps the Create contact modal open with the error on the field, creating nothing", async () => {
    const asked = await command(ws, "/touch", "@newfriend dm thanks for the share");
    const blocks = (asked.reply.blocks ?? []) as { elements?: { action_id?: string; value: string }[] }[];
    const value = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === "create_contact")?.value ?? "";
    await post(
      buttonPress({
        teamId: ws.teamId,
        userId: ws.installer,
        actionId: "create_contact",
        value,
        responseUrl: asked.responseUrl,
      }),
    );
    const opened = await slack.fake().waitFor("views.open", (c) => c.teamId === ws.teamId);
    const before = await written(ws.tenantId);
    const submit = (fields: { name: string; segment: string; email: string | null }) =>
      post(
        viewSubmission({
          teamId: ws.teamId,
          userId: ws.installer,
          callbackId: "create_contact_view",
          values: {
            name: { value: { type: "plain_text_input", value: fields.name } },
            x_handle: { value: { type: "plain_text_input", value: "@newfriend" } },
            email: { value: { type: "plain_text_input", value: fields.email } },
            segment: { value: { type: "plain_text_input", value: fields.segment } },
          },
          privateMetadata: (opened.args.view as { private_metadata: string }).private_metadata,
        }),
      );

    const name = await submit({ name: "Nia\u0000 Friend", segment: "supporter", email: null });
    expect(await name.json()).toEqual({
      response_action: "errors",
      errors: { name: "The contact's name holds a NUL character (U+0000) after “Nia”." },
    });
    const segment = await submit({ name: "Nia Friend", segment: "supp\u0007orter", email: null });
    expect(await segment.json()).toMatchObject({
      response_action: "errors",
      errors: { name: "The contact's segment holds an invisible control character (U+0007) after “supp”." },
    });
    const email = await submit({ name: "Nia Friend", segment: "", email: "nia\u0000@example.org" });
    expect(await email.json()).toEqual({
      response_action: "errors",
      errors: { email: "the email address holds a NUL character (U+0000) after “nia”" },
    });
    expect(await written(ws.tenantId)).toEqual(before);

    // Corrected, it goes through: the touch that waited is logged.
    const accepted = await submit({ name: "Nia Friend", segment: "supporter", email: null });
    expect(accepted.status).toBe(200);
    expect(await written(ws.tenantId)).toMatchObject({ contacts: before.contacts + 1, touches: before.touches + 1 });
  });

  it("refuses a settings time zone holding a NUL on its own field, changing nothing", async () => {
    const response = await post(
      viewSubmission({
        teamId: ws.teamId,
        userId: ws.installer,
        callbackId: "settings_view",
        values: {
          channel: { value: { type: "conversations_select", selected_conversation: "C0NUDGES" } },
          time: { value: { type: "timepicker", selected_time: "08:30" } },
          time_zone: { value: { type: "plain_text_input", value: "America/Chicago\u0000" } },
          admins: { value: { type: "multi_users_select", selected_users: [ws.installer] } },
        },
      }),
    );
    expect(await response.json()).toEqual({
      response_action: "errors",
      errors: {
        time_zone: "The time zone holds a NUL character (U+0000) after “America/Chicago”; remove it and try again.",
      },
    });
    expect(await slack.database().storage.tenants.get(ws.tenantId)).toMatchObject({
      timeZone: "UTC",
      nudgeTime: "09:00",
      nudgeChannel: null,
    });
  });

  it("answers a write the database refuses without logging the contact it carried", async () => {
    // A rule the core does not know, so that the database is the one to refuse the row.
    await slack
      .database()
      .handle.db.execute(
        sql`alter table contacts add constraint slack_test_no_maria check (name <> 'Maria Chen') not valid`,
      );
    const logged = log.lines.length;
    try {
      const added = await command(ws, "/contact", 'add "Maria Chen" maria@example.org segment:donor');
      expect(added.reply.text).toBe("Something went wrong and nothing was saved; please try again in a minute.");
    } finally {
      await slack.database().handle.db.execute(sql`alter table contacts drop constraint slack_test_no_maria`);
    }
    const lines = log.lines.slice(logged);
    const failed = lines.find((entry) => entry.msg === "a Slack command failed");
    expect(failed?.err).toMatchObject({
      type: "DatabaseError",
      code: "23514",
      constraint: "slack_test_no_maria",
      message:
        'new row for relation "contacts" violates check constraint "slack_test_no_maria" (SQLSTATE 23514, insert on contacts)',
    });
    for (const leak of ["Maria", "maria@example.org", "insert into", "Failed query", "params"]) {
      expect(JSON.stringify(lines)).not.toContain(leak);
    }
    expect(await slack.database().storage.withTenant(ws.tenantId, (r) => r.contacts.findByName("Maria Chen"))).toEqual(
      [],
    );
  });
});
