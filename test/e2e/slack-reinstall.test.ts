import { describe, expect, it } from "vitest";
import { useSlackServer } from "../support/slack-server.js";
import { workspace } from "../support/slack-workspace.js";

/** Slack's OAuth install run again, through Bolt's installer: the credentials change, the roles don't. */

const slack = useSlackServer();
const { install, command } = slack;

describe("Slack: reinstalling the app", () => {
  it("by a member grants them nothing, keeps the admins, and sends no second welcome", async () => {
    const riverside = await install(workspace("Riverside Food Bank"));
    const welcomes = () =>
      slack
        .fake()
        .callsTo("chat.postMessage")
        .filter((c) => c.teamId === riverside.teamId && c.args.channel === riverside.installer);
    await slack
      .fake()
      .waitFor("chat.postMessage", (c) => c.teamId === riverside.teamId && c.args.channel === riverside.installer);
    expect(welcomes()).toHaveLength(1);

    // Sam, a member, runs /slack/install himself.
    await install({ ...riverside, installer: riverside.member });
    const members = await slack.database().storage.withTenant(riverside.tenantId, (r) => r.members.list());
    expect(members.map((m) => [m.platformUserId, m.role])).toEqual([[riverside.installer, "admin"]]);
    expect((await slack.database().storage.installations.find("slack", riverside.teamId))?.installedBy).toBe(
      riverside.member,
    );
    // The settings answer below comes after any welcome the reinstall would have sent; none did.
    const refused = await command(riverside, "/touchpoint", "settings", { userId: riverside.member });
    const path = `/response/${refused.responseUrl.split("/").pop()}`;
    const answer = await slack.fake().waitFor("response_url", (c) => c.path === path);
    expect(JSON.stringify(answer.args.blocks)).toContain("Only Touchpoint admins can change settings");
    expect(welcomes()).toHaveLength(1);
    expect(
      slack
        .fake()
        .callsTo("chat.postMessage")
        .filter((c) => c.args.channel === riverside.member),
    ).toEqual([]);
  });
});
