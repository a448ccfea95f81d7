import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeX, startFakeX } from "../fakes/x-api.js";
import type { Activity, SentCard } from "../support/teams-activities.js";
import { type InstalledOrg as Org, useTeamsServer } from "../support/teams-server.js";

const TOKEN = "AAAA-app-bearer-token-from-teams";
const ORG = { id: "7700445566", username: "HarborArts", name: "Harbor Arts" };

// The fake X API must be listening before the server starts: its address is the server's X_API_URL.
const x: FakeX = await startFakeX({ tokens: [TOKEN] });
x.addUser(ORG);
afterAll(async () => {
  await x.close();
});

const { ask, press, install, database } = useTeamsServer({ X_API_URL: x.url });

function xAccountsOf(o: Org) {
  return database()
    .storage.withTenant(o.touchpointId, (r) => r.socialAccounts.list())
    .then((accounts) => accounts.filter((a) => a.platform === "x"));
}

/** `touchpoint connect-x` @mentioned in the team's channel: the card, and the activity that asked. */
async function openForm(o: Org, from = o.installer): Promise<{ form: SentCard; asked: Activity }> {
  const asked = o.say.channel("touchpoint connect-x", from);
  return { form: await ask(asked), asked };
}

/** Connect pressed on the form with what was typed. */
function connect(
  o: Org,
  opened: { form: SentCard; asked: Activity },
  handle: string,
  token: string,
  from = o.installer,
) {
  return press(
    o.say.submit(
      opened.asked.conversation,
      opened.form.call.id ?? "",
      { ...opened.form.button("Connect"), x_connect_handle: handle, x_connect_token: token },
      from,
    ),
  );
}

describe("Teams: connect-x and import", () => {
  let riverside: Org;
  let harbor: Org;

  beforeAll(async () => {
    riverside = await install("Riverside Food Bank");
    harbor = await install("Harbor Arts");
  });

  it("asks an admin for the handle and a masked token", async () => {
    const { form } = await openForm(harbor);
    expect(form.text).toContain("Connect X");
    const inputs = form.card.body.filter((e) => (e as { type: string }).type === "Input.Text") as {
      id: string;
      style?: string;
    }[];
    expect(inputs.map((i) => i.id)).toEqual(["x_connect_handle", "x_connect_token"]);
    expect(inputs[1]?.style).toBe("Password");
  });

  it("refuses a bad token with X's reason, in place of the form, and stores nothing", async () => {
    const opened = await openForm(harbor);
    const refused = await connect(harbor, opened, "@HarborArts", "not-the-token");
    expect(refused.call).toMatchObject({ method: "PUT", updatesId: opened.form.call.id });
    expect(refused.text).toContain("X refused that bearer token");
    expect(refused.text).toContain("Nothing was saved.");
    expect(refused.text).not.toContain("not-the-token");
    const unknown = await connect(harbor, opened, "@nobodyhere", TOKEN);
    expect(unknown.text).toContain("X has no account @nobodyhere");
    expect(await xAccountsOf(harbor)).toEqual([]);
  });

  it("refuses a member, naming the admins, and stores nothing", async () => {
    const refused = await openForm(harbor, harbor.member);
    expect(refused.form.text).toContain("Only Touchpoint admins can connect the organization's X account");
    expect(refused.form.text).toContain("Ask an admin:");
    expect(refused.form.card.body.some((e) => (e as { type: string }).type === "Input.Text")).toBe(false);

    // A member pressing Connect on an admin's form (everyone in the channel sees it).
    const opened = await openForm(harbor);
    const answer = await connect(harbor, opened, "@HarborArts", TOKEN, harbor.member);
    expect(answer.text).toContain("Only Touchpoint admins can connect");
    expect(await xAccountsOf(harbor)).toEqual([]);
  });

  it("changes nothing when a submit carries another organization's card", async () => {
    const opened = await openForm(harbor);
    const forged = riverside.say.submit(
      riverside.say.channel("x").conversation,
      opened.form.call.id ?? "",
      { ...opened.form.button("Connect"), x_connect_handle: "@HarborArts", x_connect_token: TOKEN },
      riverside.installer,
    );
    const answer = await press(forged);
    expect(answer.text).toContain("not for your organization");
    expect(await xAccountsOf(harbor)).toEqual([]);
    expect(await xAccountsOf(riverside)).toEqual([]);
  });

  it("connects the organization's account for an admin with a good token; the form turns into a confirmation", async () => {
    const opened = await openForm(harbor);
    const connected = await connect(harbor, opened, "@HarborArts", TOKEN);
    expect(connected.call).toMatchObject({ method: "PUT", updatesId: opened.form.call.id });
    expect(connected.text).toContain("Connected @harborarts to Harbor Arts");
    expect(connected.text).toContain("The last week of mentions is read at the next poll");
    const accounts = await xAccountsOf(harbor);
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({ handle: "harborarts", externalUserId: ORG.id, status: "active" });
    expect(await xAccountsOf(riverside)).toEqual([]);

    const again = await openForm(harbor);
    expect(again.form.text).toContain("Connected now: @harborarts");
  });

  it("explains import as Slack's /touchpoint import does", async () => {
    const reply = await ask(riverside.say.personal(riverside.chat, "import"));
    expect(reply.text).toContain("Import your contact list");
    expect(reply.text).toContain("name,email,x_handle,segment,tags,owner,cadence_days,notes");
    expect(reply.text).toContain(`touchpoint import-contacts --tenant ${riverside.tenantId} contacts.csv`);
    expect(reply.text).toContain("--dry-run");
  });
});
