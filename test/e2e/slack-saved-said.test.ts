import { recordingLogger } from "@touchpoint/server/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { buttonPress, interaction } from "../support/slack-requests.js";
import { useSlackServer } from "../support/slack-server.js";
import { type Workspace, workspace } from "../support/slack-workspace.js";

/**
 * Saved means said, in Slack: when the confirmation of something saved can't be delivered
 * (response_url refuses it), nothing says "nothing was saved", the save stands once, and the
 * person's next command's answer leads with it, with an Undo that works.
 */

const log = recordingLogger();
const slack = useSlackServer({ logger: log.logger });
const { post, install, command } = slack;

type Blocks = { type: string; block_id?: string; elements?: { action_id?: string; value: string }[] }[];

function buttonIn(blocks: unknown[], actionIdPrefix: string, blockIdPrefix = ""): { value: string; blockId: string } {
  for (const block of blocks as Blocks) {
    if (!(block.block_id ?? "").startsWith(blockIdPrefix)) continue;
    for (const element of block.elements ?? []) {
      if (element.action_id?.startsWith(actionIdPrefix)) return { value: element.value, blockId: block.block_id ?? "" };
    }
  }
  throw new Error(`no ${actionIdPrefix} button in ${JSON.stringify(blocks)}`);
}

describe("Slack: a confirmation that doesn't arrive never says nothing was saved", () => {
  let riverside: Workspace;

  beforeAll(async () => {
    riverside = await install(workspace("Saved Said Food Bank"));
  });

  const patsTouches = () =>
    slack.database().storage.withTenant(riverside.tenantId, async (r) => {
      const pat = await r.contacts.findByIdentity("email", { handle: "pat.kim@example.org" });
      return pat ? r.touchpoints.listForContact(pat.id, 10) : [];
    });

  it("a press whose confirmation response_url refuses: stored once, the next answer leads with it, and its Undo works", async () => {
    await command(riverside, "/contact", "add Pat Kim pat.kim@example.org");
    await command(riverside, "/contact", "add Pat Kim pkim@example.com");
    const asked = await command(riverside, "/touch", '"Pat Kim" coffee about volunteering', {
      userId: riverside.member,
    });
    const pat = await slack
      .database()
      .storage.withTenant(riverside.tenantId, (r) =>
        r.contacts.findByIdentity("email", { handle: "pat.kim@example.org" }),
      );
    // The button for this Pat Kim (the two are offered in no promised order).
    const choice = (asked.reply.blocks as Blocks)
      .flatMap((block) => block.elements ?? [])
      .find((element) => element.action_id?.startsWith("choose_contact_") && element.value.endsWith(`|${pat?.id}`));
    if (!choice?.action_id) throw new Error("no button for pat.kim@example.org");

    slack.fake().failNext("response_url", { status: 500 });
    const since = log.lines.length;
    await post(
      buttonPress({
        teamId: riverside.teamId,
        userId: riverside.member,
        actionId: choice.action_id,
        value: choice.value,
        responseUrl: asked.responseUrl,
      }),
    );
    const kept = await log.waitFor("kept unconfirmed saves for the person's next Slack command", since);
    expect(kept).toMatchObject({ tenantId: riverside.tenantId, unconfirmedSaves: 1 });
    const refused = slack
      .fake()
      .callsTo("response_url")
      .filter((c) => c.path.endsWith(asked.responseUrl.split("/").pop() ?? ""));
    expect(refused.map((c) => c.status)).toEqual([500]);
    expect(await patsTouches()).toHaveLength(1);

    // A colleague's next answer doesn't carry it; the person's does, before its own answer.
    const colleagues = await command(riverside, "/contact", "show pkim@example.com");
    expect(colleagues.text).not.toContain("was saved, but");
    const next = await command(riverside, "/contact", "show pkim@example.com", { userId: riverside.member });
    expect(next.text).toContain("Your meeting with Pat Kim was saved, but the confirmation didn't reach you");
    expect(next.text.indexOf("was saved, but")).toBeLessThan(next.text.indexOf("pkim@example.com"));
    expect(next.text).not.toMatch(/nothing (of it )?was saved/);
    const again = await command(riverside, "/contact", "show pkim@example.com", { userId: riverside.member });
    expect(again.text).not.toContain("was saved, but");

    const undo = buttonIn(next.reply.blocks ?? [], "undo_touch", "unconfirmed_saves");
    expect(undo.value).toBe((await patsTouches())[0]?.id);
    const { responseUrl } = next;
    await post(
      interaction({
        type: "block_actions",
        team: { id: riverside.teamId, domain: riverside.teamId.toLowerCase() },
        user: { id: riverside.member, username: "member", team_id: riverside.teamId },
        api_app_id: "A0TOUCHPT1",
        token: "deprecated-verification-token",
        trigger_id: `${Date.now()}.1.undo`,
        container: { type: "message", message_ts: "1700000000.000200", is_ephemeral: true },
        response_url: responseUrl,
        actions: [
          {
            type: "button",
            action_id: "undo_touch",
            block_id: undo.blockId,
            text: { type: "plain_text", text: "Undo" },
            value: undo.value,
            action_ts: `${Date.now() / 1000}`,
          },
        ],
      }),
    );
    const undone = await slack
      .fake()
      .waitFor("response_url", (c) => c.path.endsWith(responseUrl.split("/").pop() ?? ""));
    expect(JSON.stringify(undone.args.blocks)).toContain("Undone: the meeting with Pat Kim is no longer on record.");
    // Beside the answer it led, which stays as it was.
    expect(undone.args.replace_original).toBe(false);
    expect(await patsTouches()).toEqual([]);

    // No log line carries what was saved: contacts' names stay out of the logs.
    expect(JSON.stringify(log.lines)).not.toContain("Pat Kim");
  });
});
