import type { Contact, Member, Touchpoint } from "@touchpoint/core";
import {
  loadEnv,
  type OpenDatabase,
  type RunningServer,
  sharedDatabase,
  silentLogger,
  startServer,
} from "@touchpoint/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-web-api.js";
import { buttonPress } from "../support/slack-requests.js";
import { slackClient, type Workspace, workspace } from "../support/slack-workspace.js";
import { type InstalledOrg, useTeamsServer } from "../support/teams-server.js";

/**
 * Issue 6: the same core scenario, typed in Slack (through Bolt, signed requests, a fake Slack)
 * and in Teams (through botbuilder, a fake connector), each into its own tenant of one database,
 * must leave the same stored data once what legitimately differs is normalized: ids, tenant ids,
 * the platforms' user ids (named by role), timestamps (made relative), the source and its ref.
 */

const SECRET = "signing-secret-for-tests";
const CLIENT_ID = "1111.2222";
const CLIENT_SECRET = "client-secret-for-tests";

const teams = useTeamsServer();

let fake: FakeSlack;
let slackServer: RunningServer;
let database: OpenDatabase;

beforeAll(async () => {
  fake = await startFakeSlack({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  database = await sharedDatabase();
  const env = loadEnv({
    PORT: "0",
    HOST: "127.0.0.1",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_CLIENT_ID: CLIENT_ID,
    SLACK_CLIENT_SECRET: CLIENT_SECRET,
    SLACK_STATE_SECRET: "state-secret-for-tests",
    SLACK_API_URL: fake.apiUrl,
    TOUCHPOINT_SCHEDULER: "off",
  });
  slackServer = await startServer(env, silentLogger, { database, slackWebApiRetries: 0 });
});
afterAll(async () => {
  await slackServer?.stop();
  await fake?.close();
});

const slack = slackClient({
  fake: () => fake,
  serverUrl: () => slackServer.http.url,
  database: () => database,
  secret: SECRET,
});

/** The scenario, as typed on either platform (Slack puts the command word in the slash command). */
const SCENARIO = [
  "contact add Jane Doe @janedoe jane@example.org segment:donor owner:me",
  "contact tag @janedoe gala-2026",
  "contact cadence @janedoe 30",
  "touch @janedoe called about the gala",
  "touch jane@example.org emailed the invitation",
  "touch @nobodyknown met for coffee",
] as const;

/** What a tenant holds after the scenario, read back through storage. */
interface Stored {
  readonly contacts: readonly Contact[];
  readonly touchpoints: readonly Touchpoint[];
  readonly members: readonly Member[];
}

/**
 * Everything the tenant stored. Undone touches are kept but no list returns them, so the touches
 * named by the replies' Undo buttons are read by id as well.
 */
async function storedIn(tenantId: string, touchIds: readonly string[]): Promise<Stored> {
  return database.storage.withTenant(tenantId, async (r) => {
    const contacts = await r.contacts.list({ includeArchived: true });
    const listed = (await Promise.all(contacts.map((c) => r.touchpoints.listForContact(c.id, 100)))).flat();
    const byId = await Promise.all(touchIds.map((id) => r.touchpoints.get(id)));
    const touchpoints = new Map<string, Touchpoint>();
    for (const t of [...listed, ...byId]) if (t) touchpoints.set(t.id, t);
    const ordered = [...touchpoints.values()].sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.occurredAt.getTime() - b.occurredAt.getTime(),
    );
    return { contacts, touchpoints: ordered, members: await r.members.list() };
  });
}

/** The stored data with what may differ between platforms replaced by what it means. */
function normalize(stored: Stored, roles: Readonly<Record<string, string>>, started: Date) {
  const role = (platformUserId: string | null) =>
    platformUserId === null ? null : (roles[platformUserId] ?? `unknown user ${platformUserId}`);
  const contactIds = new Map(stored.contacts.map((c, i) => [c.id, `contact-${i}`]));
  const relative = (at: Date | null) => (at === null ? null : at.getTime() >= started.getTime() ? "during" : "before");
  return {
    contacts: stored.contacts.map((c) => ({
      id: contactIds.get(c.id),
      name: c.name,
      segment: c.segment,
      tags: [...c.tags].sort(),
      owner: role(c.owner),
      cadenceDays: c.cadenceDays,
      notes: c.notes,
      archived: c.archived,
      identities: [...c.identities]
        .map((i) => ({ platform: i.platform, handle: i.handle, externalUserId: i.externalUserId }))
        .sort((a, b) => `${a.platform}:${a.handle}`.localeCompare(`${b.platform}:${b.handle}`)),
      createdAt: relative(c.createdAt),
      updatedAt: relative(c.updatedAt),
    })),
    touchpoints: stored.touchpoints.map((t) => ({
      contact: contactIds.get(t.contactId) ?? `unknown contact ${t.contactId}`,
      channel: t.channel,
      direction: t.direction,
      note: t.note,
      loggedBy: role(t.loggedBy),
      undone: t.undoneAt !== null,
      occurredAt: relative(t.occurredAt),
      undoneAfterLogged: t.undoneAt === null ? null : t.undoneAt.getTime() >= t.createdAt.getTime(),
      // The platform's own name is the one thing that must differ; that it is set is what must not.
      hasSourceRef: t.sourceRef.length > 0,
    })),
    members: stored.members
      .map((m) => ({ who: role(m.platformUserId), role: m.role }))
      .sort((a, b) => `${a.who}`.localeCompare(`${b.who}`)),
  };
}

function slackButtonValue(blocks: unknown[], actionIdPrefix: string): string {
  for (const block of blocks as { elements?: { action_id?: string; value: string }[] }[]) {
    for (const element of block.elements ?? []) {
      if (element.action_id?.startsWith(actionIdPrefix)) return element.value;
    }
  }
  throw new Error(`no ${actionIdPrefix} button in ${JSON.stringify(blocks)}`);
}

describe("the same scenario in Slack and in Teams stores the same data (issue 6)", () => {
  let riverside: Workspace;
  let harbor: InstalledOrg;
  let slackStored: Stored;
  let teamsStored: Stored;
  let started: Date;

  beforeAll(async () => {
    started = new Date(Date.now() - 1000);

    // Slack: the installer types every command; the second touch's Undo is pressed.
    riverside = await slack.install(workspace("Riverside Food Bank"));
    const slackTouchIds: string[] = [];
    const slackReplies: { text: string; blocks: unknown[]; responseUrl: string }[] = [];
    for (const line of SCENARIO) {
      const [word, ...rest] = line.split(" ");
      const { reply, responseUrl, text } = await slack.command(riverside, `/${word}`, rest.join(" "));
      slackReplies.push({ text: `${reply.text ?? ""} ${text}`, blocks: reply.blocks ?? [], responseUrl });
      if (text.includes("undo_touch")) slackTouchIds.push(slackButtonValue(reply.blocks ?? [], "undo_touch"));
    }
    expect(slackReplies[5]?.text).toContain("No contact matches @nobodyknown");
    const secondTouch = slackReplies[4];
    if (!secondTouch) throw new Error("no reply to the second touch");
    const pressed = await slack.post(
      buttonPress({
        teamId: riverside.teamId,
        userId: riverside.installer,
        actionId: "undo_touch",
        value: slackButtonValue(secondTouch.blocks, "undo_touch"),
        responseUrl: secondTouch.responseUrl,
      }),
    );
    expect(pressed.status).toBe(200);
    const undone = await fake.waitFor("response_url", (c) =>
      c.path.endsWith(secondTouch.responseUrl.split("/").pop() ?? ""),
    );
    expect(JSON.stringify(undone.args.blocks)).toContain("is no longer on record");
    slackStored = await storedIn(riverside.tenantId, slackTouchIds);

    // Teams: the installer types the same lines in a personal chat; the same Undo is pressed.
    harbor = await teams.install("Harbor Arts");
    const teamsTouchIds: string[] = [];
    const teamsReplies = [];
    for (const line of SCENARIO) {
      const card = await teams.ask(harbor.say.personal(harbor.chat, line));
      teamsReplies.push(card);
      if (/^touch /.test(line) && card.text.includes("Logged")) {
        teamsTouchIds.push(card.button("Undo").touchpointId ?? "");
      }
    }
    expect(teamsReplies[5]?.text).toContain("No contact matches @nobodyknown");
    const loggedSecond = teamsReplies[4];
    if (!loggedSecond) throw new Error("no reply to the second touch");
    const teamsUndo = await teams.press(
      harbor.say.submit(harbor.chat, loggedSecond.call.id ?? "", loggedSecond.button("Undo")),
    );
    expect(teamsUndo.text).toContain("is no longer on record");
    teamsStored = await storedIn(harbor.touchpointId, teamsTouchIds);
  });

  it("stores something on each side: one contact, two touches (one undone), the installer", () => {
    for (const stored of [slackStored, teamsStored]) {
      expect(stored.contacts).toHaveLength(1);
      expect(stored.touchpoints).toHaveLength(2);
      expect(stored.touchpoints.filter((t) => t.undoneAt !== null)).toHaveLength(1);
      expect(stored.members.length).toBeGreaterThan(0);
    }
    expect(slackStored.touchpoints.map((t) => t.source)).toEqual(["slack", "slack"]);
    expect(teamsStored.touchpoints.map((t) => t.source)).toEqual(["teams", "teams"]);
    expect(slackStored.contacts[0]?.tenantId).toBe(riverside.tenantId);
    expect(teamsStored.contacts[0]?.tenantId).toBe(harbor.touchpointId);
  });

  it("stores the same contacts, touchpoints and members once ids, users, times and sources are normalized", () => {
    const slackSide = normalize(
      slackStored,
      { [riverside.installer]: "installer", [riverside.member]: "member" },
      started,
    );
    const teamsSide = normalize(
      teamsStored,
      {
        [harbor.installer.aadObjectId]: "installer",
        [harbor.installer.id]: "installer (Teams user id)",
        [harbor.member.aadObjectId]: "member",
      },
      started,
    );
    expect(teamsSide).toEqual(slackSide);
    // And what both stored is what the scenario said.
    expect(slackSide).toEqual({
      contacts: [
        {
          id: "contact-0",
          name: "Jane Doe",
          segment: "donor",
          tags: ["gala-2026"],
          owner: "installer",
          cadenceDays: 30,
          notes: null,
          archived: false,
          identities: [
            { platform: "email", handle: "jane@example.org", externalUserId: null },
            { platform: "x", handle: "janedoe", externalUserId: null },
          ],
          createdAt: "during",
          updatedAt: "during",
        },
      ],
      touchpoints: [
        {
          contact: "contact-0",
          channel: "call",
          direction: "outbound",
          note: "called about the gala",
          loggedBy: "installer",
          undone: false,
          occurredAt: "during",
          undoneAfterLogged: null,
          hasSourceRef: true,
        },
        {
          contact: "contact-0",
          channel: "email",
          direction: "outbound",
          note: "emailed the invitation",
          loggedBy: "installer",
          undone: true,
          occurredAt: "during",
          undoneAfterLogged: true,
          hasSourceRef: true,
        },
      ],
      members: [{ who: "installer", role: "admin" }],
    });
  });
});
