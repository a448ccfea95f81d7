import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { botSignals, type IncomingPost, isLikelyBot, type PageRequest } from "@touchpoint/core";
import { queryRows } from "@touchpoint/db";
import { sql } from "@touchpoint/db/testing";
import { loadEnv, openDatabase } from "@touchpoint/server/testing";
import { createRecordedXSource, readXRecording } from "@touchpoint/x";
import { describe, expect, it } from "vitest";
import { blockProblems } from "../fakes/slack-web-api.js";
import { REPO_ROOT, runTouchpoint } from "../support/processes.js";
import { tempDir } from "../support/temp.js";

interface XTweet {
  readonly id: string;
  readonly author_id: string;
  readonly referenced_tweets?: readonly { readonly type: string; readonly id: string }[];
}
interface XPage {
  readonly data?: readonly XTweet[];
  readonly includes?: { readonly users?: readonly { readonly id: string; readonly username: string }[] };
}

/** What the demo should make of its X fixture, worked out from the fixture and the sample CSV themselves. */
async function expectedFromFixtures() {
  const json: unknown = JSON.parse(await readFile(join(REPO_ROOT, "apps/server/fixtures/x-mentions.json"), "utf8"));
  const fixture = json as { readonly mentions: readonly XPage[]; readonly tweets: readonly XPage[] };
  const csv = await readFile(join(REPO_ROOT, "apps/server/fixtures/sample-contacts.csv"), "utf8");
  // The x_handle column is the only place a value starts with @.
  const handles = new Set([...csv.matchAll(/,@([A-Za-z0-9_]+),/g)].map((m) => m[1]?.toLowerCase()));

  const mentions = fixture.mentions.flatMap((page) => page.data ?? []);
  const users = new Map(fixture.mentions.flatMap((page) => page.includes?.users ?? []).map((u) => [u.id, u]));
  const fromContacts = mentions.filter((t) => handles.has(users.get(t.author_id)?.username.toLowerCase()));
  const answeredIds = new Set(
    fixture.tweets
      .flatMap((page) => page.data ?? [])
      .flatMap((t) => t.referenced_tweets ?? [])
      .filter((r) => r.type === "replied_to")
      .map((r) => r.id),
  );
  const answered = mentions.filter((t) => answeredIds.has(t.id));

  // Likely bots as the core judges them, on the authors as the recorded source reads them.
  const recording = readXRecording(json);
  const source = createRecordedXSource(recording)("test");
  const accountId = String((recording.user.data as { id: string }).id);
  const posts: IncomingPost[] = [];
  let request: PageRequest = { sinceId: null, startTime: null, paginationToken: null };
  for (;;) {
    const page = await source.mentions(accountId, request);
    if (!page.ok) throw new Error(`the fixture did not replay: ${page.error.kind}`);
    posts.push(...page.value.posts);
    if (page.value.nextToken === null) break;
    request = { ...request, paginationToken: page.value.nextToken };
  }
  const now = new Date();
  const openBots = posts.filter(
    (p) =>
      !handles.has(p.author.handle.toLowerCase()) &&
      !answeredIds.has(p.postId) &&
      isLikelyBot(botSignals(p.author, now)),
  );
  return { mentions, fromContacts, answered, openBots };
}

describe("pnpm demo, on the embedded default", () => {
  it("builds the sample organization, prints its relationships, reads its recorded X mentions; a second run duplicates nothing", async () => {
    const dataDir = await tempDir("demo");
    const env = { TOUCHPOINT_DATA_DIR: dataDir };
    const x = await expectedFromFixtures();
    // The fixture is what the demo means it to be: enough of each kind to show.
    expect(x.mentions.length).toBeGreaterThanOrEqual(40);
    expect(x.fromContacts.length).toBeGreaterThanOrEqual(10);
    expect(x.answered.length).toBeGreaterThanOrEqual(5);
    expect(x.openBots.length).toBeGreaterThanOrEqual(5);
    const open = x.mentions.length - x.answered.length;
    const openFromContacts = x.fromContacts.filter((t) => !x.answered.includes(t)).length;
    // The daily nudge it ends with: contacts waiting, new voices (bots set aside), going cold.
    const waiting = `WAITING FOR A REPLY (${openFromContacts})`;
    const newVoices = `NEW VOICES (${open - openFromContacts - x.openBots.length})`;

    const first = await runTouchpoint(["demo"], env);
    expect(first.stderr).not.toMatch(/error/i);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("created the sample organization: Riverside Food Bank");
    expect(first.stdout).toContain("Imported 40 rows: 40 new, 0 updated, 0 unchanged.");
    expect(first.stdout).toContain("logged 14 touches through /touch");
    expect(first.stdout).toMatch(/40 contacts: 5 going cold · 1 due soon · 28 never touched · 6 in touch/);
    expect(first.stdout).toContain(
      "• Maria Chen · major donor · owner amy · 62 days since the last touch (cadence 30)",
    );
    expect(first.stdout).toContain("/contact show @janedoe");
    expect(first.stdout).toContain("last 90 days: 3 touches · 1 inbound · 2 outbound");
    expect(first.stdout).toContain("✓ connected @riversidefood on X, replaying recorded X API v2 responses");
    expect(first.stdout).toContain(
      `✓ read ${x.mentions.length} mentions of @riversidefood through the poller: ${x.fromContacts.length} from contacts, each logged as a touch · ${x.answered.length} already answered`,
    );
    expect(first.stdout).toContain("Good morning, Riverside Food Bank — ");
    expect(first.stdout).toContain(waiting);
    expect(first.stdout).toContain(newVoices);
    expect(first.stdout).toContain("GOING COLD (5)");
    expect(first.stdout).toContain(`Skipped: ${x.openBots.length} likely bots (@`);
    const blockKit = JSON.parse(await readFile(join(dataDir, "demo-nudge.slack.json"), "utf8")) as {
      text: string;
      blocks: unknown[];
    };
    expect(blockProblems(blockKit.blocks)).toEqual([]);
    expect(JSON.stringify(blockKit.blocks)).toContain('"action_id":"nudge_replied"');
    expect(blockKit.text).toBe(
      `${openFromContacts} waiting for a reply, 5 going cold, ${open - openFromContacts - x.openBots.length} new voices`,
    );

    const second = await runTouchpoint(["demo"], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("found the sample organization");
    expect(second.stdout).toContain("Imported 40 rows: 0 new, 0 updated, 40 unchanged.");
    expect(second.stdout).toContain("(14 already logged by an earlier run, not logged twice)");
    expect(second.stdout).toMatch(/40 contacts: 5 going cold/);
    expect(second.stdout).toContain("✓ found @riversidefood on X");
    expect(second.stdout).toContain("✓ read 0 new mentions of @riversidefood (already read by an earlier run");
    expect(second.stdout).toContain(waiting);
    expect(second.stdout).toContain(newVoices);

    const database = await openDatabase(loadEnv(env), () => {});
    try {
      const db = database.handle.db;
      const stored = await queryRows<{ post_id: string; status: string; contact_id: string | null }>(
        db,
        sql`select post_id, status, contact_id from mentions`,
      );
      const ids = (tweets: readonly XTweet[]) => tweets.map((t) => t.id).sort();
      // Each mention of the fixture once, after two runs.
      expect(stored.map((m) => m.post_id).sort()).toEqual(ids(x.mentions));
      const replied = stored.filter((m) => m.status === "replied");
      expect(replied.map((m) => m.post_id).sort()).toEqual(ids(x.answered));
      expect(
        stored
          .filter((m) => m.contact_id !== null)
          .map((m) => m.post_id)
          .sort(),
      ).toEqual(ids(x.fromContacts));

      const touches = await queryRows<{ source_ref: string; channel: string; direction: string }>(
        db,
        sql`select source_ref, channel, direction from touchpoints where source = 'x'`,
      );
      const inbound = touches.filter((t) => t.direction === "inbound");
      expect(inbound.map((t) => t.source_ref).sort()).toEqual(x.fromContacts.map((t) => `x:post:${t.id}`).sort());
      expect(inbound.filter((t) => t.channel === "x_mention").length).toBeGreaterThan(0);
      const answeredContacts = x.fromContacts.filter((t) => x.answered.includes(t)).length;
      expect(touches.filter((t) => t.direction === "outbound" && t.channel === "x_reply")).toHaveLength(
        answeredContacts,
      );

      const [account, ...others] = await queryRows<{ handle: string; status: string; credentials: string }>(
        db,
        sql`select handle, status, credentials from social_accounts`,
      );
      expect(others).toEqual([]);
      expect(account?.handle).toBe("riversidefood");
      // Stored encrypted like any account's, and paused: `touchpoint serve` must not take it to X.
      expect(account?.credentials).not.toContain("demo-recording");
      expect(account?.status).toBe("paused");
    } finally {
      await database.close();
    }
  });
});
