import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sampleDigest, uniqueExternalId } from "@touchpoint/core/testing";
import { sql } from "@touchpoint/db/testing";
import { afterAll, describe, expect, it } from "vitest";
import { cli, sharedDatabase } from "../testing/index.js";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function csvFile(content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "touchpoint-cli-"));
  dirs.push(dir);
  const path = join(dir, "contacts.csv");
  await writeFile(path, content);
  return path;
}

async function createTenant(name = "Harbor Arts"): Promise<{ id: string; externalId: string }> {
  const externalId = uniqueExternalId();
  const run = await cli(
    "tenants",
    "create",
    "--name",
    name,
    "--platform",
    "slack",
    "--external-id",
    externalId,
    "--json",
  );
  expect(run.code).toBe(0);
  return { id: (JSON.parse(run.stdout) as { id: string }).id, externalId };
}

const GOOD_CSV =
  "\uFEFFname,email,x_handle,segment,tags,owner,cadence_days,notes\r\n" +
  'Jane Doe,jane@example.org,@JaneDoe,Major Donor,"gala; board",amy,30,"Prefers calls, not email"\r\n' +
  "Sam Lee,,@samlee,influencer,,priya,,\r\n" +
  "Dev Patel,dev@example.org,,board,,,,\r\n";

describe("touchpoint CLI", () => {
  it("lists every subcommand in --help", async () => {
    const run = await cli("--help");
    expect(run.code).toBe(0);
    for (const sub of ["migrate", "serve", "demo", "tenants", "import-contacts", "connect-x", "digest", "rotate-key"]) {
      expect(run.stdout).toContain(sub);
    }
    const tenants = await cli("tenants", "--help");
    for (const sub of ["list", "create", "set"]) expect(tenants.stdout).toContain(sub);
    const importHelp = await cli("import-contacts", "--help");
    expect(importHelp.stdout).toContain("--dry-run");
  });

  it("rejects an unknown command with exit code 2", async () => {
    const run = await cli("tenants", "frobnicate");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command/);
  });

  it("creates, lists and configures a tenant by id or by external id", async () => {
    const { id, externalId } = await createTenant("Harbor Arts");
    const list = await cli("tenants", "list", "--json");
    const listed = (JSON.parse(list.stdout) as { id: string; name: string }[]).find((t) => t.id === id);
    expect(listed?.name).toBe("Harbor Arts");

    const table = await cli("tenants", "list");
    expect(table.stdout).toMatch(/^ID\s+PLATFORM\s+EXTERNAL ID\s+NAME/);
    expect(table.stdout).toContain(externalId);

    const set = await cli(
      "tenants",
      "set",
      "--tenant",
      externalId,
      "--time-zone",
      "Europe/London",
      "--nudge-time",
      "8:30",
    );
    expect(set.code).toBe(0);
    expect(set.stdout).toBe("Harbor Arts: nudge at 08:30 Europe/London in (no channel yet).");
    const byId = await cli("tenants", "set", "--tenant", id, "--channel", "C0123", "--json");
    expect(JSON.parse(byId.stdout)).toMatchObject({ nudgeChannel: "C0123", timeZone: "Europe/London" });
  });

  it("lists the nudge deliveries each organization gave up on, and those whose outcome is unknown", async () => {
    const { id } = await createTenant("Dead Letter Trust");
    const { storage } = await sharedDatabase();
    const at = new Date("2026-11-02T14:00:00Z");
    await storage.withTenant(id, (r) =>
      r.nudges.claim(sampleDigest(id, "2026-11-02"), [{ target: "C0GONE" }, { target: "C0MAYBE" }], at),
    );
    const claimed = (
      await storage.nudges.claimDeliveries({ owner: "t", now: at, leaseSeconds: 60, limit: 1000 })
    ).filter((d) => d.tenantId === id);
    const [gone, maybe] = await storage.withTenant(id, (r) => r.nudges.deliveries("2026-11-02"));
    expect(claimed).toHaveLength(2);
    await storage.withTenant(id, async (r) => {
      await r.nudges.markDead(gone?.id ?? "", "rejected: channel_not_found");
      await r.nudges.markUnknown(maybe?.id ?? "", "unknown: unavailable: HTTP 502; no consent");
    });

    const list = await cli("tenants", "list", "--json");
    expect(
      (JSON.parse(list.stdout) as { id: string; deadDeliveries: number }[]).find((t) => t.id === id),
    ).toMatchObject({
      deadDeliveries: 1,
      unknownDeliveries: 1,
    });
    const table = await cli("tenants", "list");
    expect(table.stdout).toMatch(/CHANNEL\s+DEAD\s+UNKNOWN/);
    expect(table.stdout.split("\n").find((line) => line.startsWith(id))).toMatch(/\s1\s+1$/);
    expect(table.stdout).toMatch(/deliver(y was|ies were) given up \(DEAD\)/);
    expect(table.stdout).toMatch(/deliver(y|ies) may or may not have arrived \(UNKNOWN\)/);
  });

  it("refuses a duplicate tenant and bad settings, changing nothing", async () => {
    const { id, externalId } = await createTenant();
    const again = await cli("tenants", "create", "--name", "Again", "--platform", "slack", "--external-id", externalId);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already exists");

    const bad = await cli("tenants", "set", "--tenant", id, "--time-zone", "Mars/Olympus", "--nudge-time", "07:00");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"Mars/Olympus" is not a time zone');
    const after = await (await sharedDatabase()).storage.tenants.get(id);
    expect(after).toMatchObject({ timeZone: "UTC", nudgeTime: "09:00" });

    const platform = await cli("tenants", "create", "--name", "X", "--platform", "discord", "--external-id", "D1");
    expect(platform.code).toBe(2);
    expect(platform.stderr).toContain("discord");

    const unknown = await cli("tenants", "set", "--tenant", "T_NOBODY", "--nudge-time", "07:00");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No tenant has the id or external id "T_NOBODY"');
  });

  it("imports a CSV, and importing it again changes nothing", async () => {
    const { externalId, id } = await createTenant();
    const path = await csvFile(GOOD_CSV);
    const first = await cli("import-contacts", "--tenant", externalId, path);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Imported 3 rows: 3 new, 0 updated, 0 unchanged\./);
    const second = await cli("import-contacts", "--tenant", externalId, path);
    expect(second.stdout).toMatch(/^Imported 3 rows: 0 new, 0 updated, 3 unchanged\./);

    const contacts = await (await sharedDatabase()).storage.withTenant(id, (r) => r.contacts.list());
    const jane = contacts.find((c) => c.name === "Jane Doe");
    expect(jane).toMatchObject({
      segment: "major donor",
      owner: "amy",
      cadenceDays: 30,
      notes: "Prefers calls, not email",
    });
    expect([...(jane?.tags ?? [])].sort()).toEqual(["board", "gala"]);
    expect(jane?.identities.map((i) => `${i.platform}:${i.handle}`)).toEqual(["x:janedoe", "email:jane@example.org"]);
  });

  it("queues the first nudge after an organization's first import, and only then", async () => {
    const { id, externalId } = await createTenant("First Light");
    await cli("tenants", "set", "--tenant", externalId, "--channel", "C0FIRST");
    const today = () => new Date().toISOString().slice(0, 10); // the tenant's zone is UTC
    const days = new Set([today()]);
    const first = await cli("import-contacts", "--tenant", externalId, await csvFile(GOOD_CSV));
    expect(first.stdout).toContain("Queued a first nudge for the organization's channel");
    const again = await cli("import-contacts", "--tenant", externalId, await csvFile(GOOD_CSV));
    expect(again.stdout).not.toContain("first nudge");
    days.add(today());
    const { storage } = await sharedDatabase();
    const queued = await storage.withTenant(id, async (r) =>
      (await Promise.all([...days].map((day) => r.nudges.deliveries(day)))).flat(),
    );
    expect(queued).toMatchObject([{ kind: "welcome", target: "C0FIRST", status: "pending" }]);
    expect(queued[0]?.message.kind).toBe("welcome");
  });

  it("lists every bad row with its line and imports nothing from a bad file", async () => {
    const { externalId, id } = await createTenant();
    const path = await csvFile(
      [
        "name,email,x_handle,segment,tags,owner,cadence_days,notes",
        "Good Row,good@example.org,,,,,,",
        "Bad Email,not-an-email,,,,,,",
        "Bad Handle,,@this_handle_is_way_too_long,,,,,",
        "Bad Cadence,,,,,,often,",
        ",nameless@example.org,,,,,,",
        "Short Row,short@example.org",
        "Twin,good@example.org,,,,,,",
      ].join("\n"),
    );
    const run = await cli("import-contacts", "--tenant", externalId, path);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("line 3: email");
    expect(run.stderr).toContain("line 4: x_handle");
    expect(run.stderr).toContain('line 5: cadence_days "often"');
    expect(run.stderr).toContain("line 6: name is required");
    expect(run.stderr).toContain("line 7: has 2 fields; the header has 8");
    expect(run.stderr).toContain("line 8: email good@example.org is also on line 2");
    expect(run.stderr).toMatch(/has 6 problems; nothing was imported\./);
    const contacts = await (await sharedDatabase()).storage.withTenant(id, (r) => r.contacts.list());
    expect(contacts).toEqual([]);
  });

  it("names the line and column of a NUL byte, the same in a dry run and a real import, and writes nothing", async () => {
    const { externalId, id } = await createTenant();
    const people = Array.from({ length: 10 }, (_, i) => `Person ${i},person${i}@example.org,,,,,,`);
    // Line 12, after a quoted note that spans lines 10 and 11.
    people[8] = 'Quoted Note,quoted@example.org,,,,,,"first line\nsecond line"';
    people[9] = "Nul Byte,nul@example.org,,,,,,Met at the gala\u0000 on Friday";
    const path = await csvFile(["name,email,x_handle,segment,tags,owner,cadence_days,notes", ...people].join("\n"));

    const dry = await cli("import-contacts", "--tenant", externalId, "--dry-run", path);
    const real = await cli("import-contacts", "--tenant", externalId, path);
    for (const run of [dry, real]) {
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        [
          "  line 12: the notes column holds a NUL character (U+0000) after “Met at the gala”",
          `touchpoint: ${path} has 1 problem; nothing was imported.`,
        ].join("\n"),
      );
    }
    expect(real.stderr).not.toMatch(/Failed query|insert into|params/i);
    const contacts = await (await sharedDatabase()).storage.withTenant(id, (r) => r.contacts.list());
    expect(contacts).toEqual([]);
  });

  it("prints a write the database refused by its own words, never the rows it carried", async () => {
    const { externalId, id } = await createTenant();
    const { handle } = await sharedDatabase();
    // A rule the core does not know, so that the database is the one to refuse a row.
    await handle.db.execute(
      sql`alter table contacts add constraint cli_test_no_maria check (name <> 'Maria Chen') not valid`,
    );
    try {
      const path = await csvFile(
        "name,email,notes\nDev Patel,dev@example.org,ok\nMaria Chen,maria@example.org,Met at the gala\n",
      );
      const run = await cli("import-contacts", "--tenant", externalId, path);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /^touchpoint: unexpected failure: DatabaseError: new row for relation "contacts" violates check constraint "cli_test_no_maria" \(SQLSTATE 23514, insert on contacts\)\n {4}at /,
      );
      for (const leak of [
        "Maria",
        "maria@example.org",
        "Met at the gala",
        "Dev Patel",
        "insert into",
        "Failed query",
        "params",
      ]) {
        expect(run.stderr).not.toContain(leak);
      }
    } finally {
      await handle.db.execute(sql`alter table contacts drop constraint cli_test_no_maria`);
    }
    const contacts = await (await sharedDatabase()).storage.withTenant(id, (r) => r.contacts.list());
    expect(contacts).toEqual([]);
  });

  it("reports an unknown column before reading any row", async () => {
    const { externalId } = await createTenant();
    const run = await cli("import-contacts", "--tenant", externalId, await csvFile("name,twitter\nJane,@jane\n"));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('line 1: unknown column "twitter"');
  });

  it("shows what a dry run would do without writing", async () => {
    const { externalId, id } = await createTenant();
    const run = await cli("import-contacts", "--tenant", externalId, "--dry-run", await csvFile(GOOD_CSV));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Would import 3 rows: 3 new, 0 updated, 0 unchanged\./);
    const contacts = await (await sharedDatabase()).storage.withTenant(id, (r) => r.contacts.list());
    expect(contacts).toEqual([]);
  });

  it("prints the daily nudge with --dry-run, for today or another day, and refuses a bad date", async () => {
    const { externalId, id } = await createTenant("Tidewater Pantry");
    const database = await sharedDatabase();
    await database.storage.withTenant(id, async (r) => {
      const dev = await r.contacts.create({ name: "Dev Patel", segment: "board" });
      await r.touchpoints.record({
        contactId: dev.id,
        occurredAt: new Date(Date.now() - 45 * 86_400_000),
        channel: "meeting",
        direction: "outbound",
        note: "budget review",
        loggedBy: "U1",
        source: "cli",
        sourceRef: `cli-test-${id}`,
      });
    });
    const today = await cli("digest", "--tenant", externalId, "--dry-run");
    expect(today.code).toBe(0);
    expect(today.stdout).toMatch(/^Good morning, Tidewater Pantry — \w+day \d{1,2} \w{3}/);
    expect(today.stdout).toContain("GOING COLD (1)");
    expect(today.stdout).toContain("• Dev Patel · board · 45 days since the last touch (cadence 30)");
    expect(today.stdout).toContain("YESTERDAY  0 mentions · 0 replied");

    const christmas = await cli("digest", "--tenant", externalId, "--date", "2026-12-25", "--dry-run");
    expect(christmas.stdout).toContain("— Friday 25 Dec");

    const bad = await cli("digest", "--tenant", externalId, "--date", "25/12/2026", "--dry-run");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("write it as YYYY-MM-DD");
    const noChannel = await cli("digest", "--tenant", externalId);
    expect(noChannel.code).toBe(1);
    expect(noChannel.stderr).toContain("Tidewater Pantry has no nudge channel yet");
    await cli("tenants", "set", "--tenant", externalId, "--channel", "C0TIDES");
    const sending = await cli("digest", "--tenant", externalId);
    expect(sending.stdout).toMatch(/^Queued Tidewater Pantry's nudge for \d{4}-\d{2}-\d{2} to C0TIDES/);
    const again = await cli("digest", "--tenant", externalId);
    expect(again.stdout).toContain("already has its nudge");
    const localDate = /for (\d{4}-\d{2}-\d{2})/.exec(sending.stdout)?.[1] ?? "";
    const queued = await database.storage.withTenant(id, (r) => r.nudges.deliveries(localDate));
    expect(queued).toMatchObject([{ target: "C0TIDES", status: "pending" }]);
    const past = await cli("digest", "--tenant", externalId, "--date", "2026-12-25");
    expect(past.code).toBe(1);
    expect(past.stderr).toContain("Only today's nudge can be sent");
  });

  it("says so when the file is missing", async () => {
    const { externalId } = await createTenant();
    const run = await cli("import-contacts", "--tenant", externalId, "/nonexistent/contacts.csv");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("No file at /nonexistent/contacts.csv");
  });
});
