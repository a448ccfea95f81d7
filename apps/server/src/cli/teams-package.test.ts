import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEnv } from "../env.js";
import type { TeamsManifest } from "../teams-package.js";
import { readPng, readZip } from "../testing/archives.js";
import type { CliContext, Output } from "./context.js";
import { runCli } from "./program.js";

const APP_ID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
const CREDENTIALS = { TEAMS_APP_ID: APP_ID, TEAMS_APP_PASSWORD: "not-a-real-secret" };
const HTTPS = { PUBLIC_URL: "https://touchpoint.example.org" };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "touchpoint-teams-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The real CLI with this environment, and no database: the command must not need one. */
async function teamsPackage(env: Record<string, string>, ...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out: Output = { print: (text) => stdout.push(text), error: (text) => stderr.push(text) };
  const context = (): CliContext => ({
    env: loadEnv(env),
    out,
    openDatabase: async () => {
      throw new Error("teams-package opened the database");
    },
  });
  const code = await runCli(["teams-package", ...args], { context, out });
  return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
}

async function manifestIn(file: string): Promise<TeamsManifest> {
  const entry = readZip(await readFile(file)).find((f) => f.name === "manifest.json");
  return JSON.parse(entry?.data.toString("utf8") ?? "") as TeamsManifest;
}

describe("touchpoint teams-package", () => {
  it("writes the zip for TEAMS_APP_ID and PUBLIC_URL, and says what to do with it", async () => {
    const out = join(dir, "touchpoint.zip");
    const run = await teamsPackage({ ...CREDENTIALS, ...HTTPS }, "--out", out);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Wrote the Teams app package for app ${APP_ID} to ${out}`);
    expect(run.stdout).toContain("Apps → Manage your apps → Upload an app");
    expect(run.stdout).toContain("https://touchpoint.example.org/api/messages");

    const files = readZip(await readFile(out));
    expect(files.map((file) => file.name).sort()).toEqual(["color.png", "manifest.json", "outline.png"]);
    const manifest = await manifestIn(out);
    expect(manifest.$schema).toBe(
      "https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.schema.json",
    );
    expect(manifest.manifestVersion).toBe("1.17");
    expect([manifest.id, manifest.bots[0]?.botId]).toEqual([APP_ID, APP_ID]);
    expect(manifest.validDomains).toEqual(["touchpoint.example.org"]);
    expect(manifest.bots[0]?.commandLists?.[0]?.commands.map((c) => c.title)).toEqual([
      "touch",
      "contact",
      "nudges",
      "touchpoint help",
      "touchpoint settings",
    ]);
    const size = (name: string) => {
      const png = readPng(files.find((file) => file.name === name)?.data ?? Buffer.alloc(0));
      return [png.width, png.height];
    };
    expect(size(manifest.icons.color)).toEqual([192, 192]);
    expect(size(manifest.icons.outline)).toEqual([32, 32]);
  });

  it("takes --app-id instead of TEAMS_APP_ID", async () => {
    const other = "00000000-1111-2222-3333-444444444444";
    const out = join(dir, "other.zip");
    const run = await teamsPackage({ ...HTTPS, NODE_ENV: "production" }, "--app-id", other, "--out", out);
    expect(run.code).toBe(0);
    const manifest = await manifestIn(out);
    expect([manifest.id, manifest.bots[0]?.botId]).toEqual([other, other]);
  });

  it("refuses, in one line and with exit code 2, without an app id", async () => {
    const out = join(dir, "none.zip");
    const run = await teamsPackage(HTTPS, "--out", out);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "touchpoint: no Teams app id: set TEAMS_APP_ID or pass --app-id (the Microsoft App ID of the bot's Azure registration)",
    );
    expect(existsSync(out)).toBe(false);
  });

  it("refuses an app id that is not a GUID", async () => {
    const run = await teamsPackage(HTTPS, "--app-id", "touchpoint-bot", "--out", join(dir, "bad.zip"));
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")).toHaveLength(1);
    expect(run.stderr).toContain("--app-id needs the bot's Microsoft App ID, a GUID");
  });

  it("refuses a PUBLIC_URL that is not https in production, and warns about it elsewhere", async () => {
    const out = join(dir, "http.zip");
    const plain: Record<string, string>[] = [{ PUBLIC_URL: "http://touchpoint.example.org" }, {}];
    for (const env of plain) {
      const run = await teamsPackage({ ...CREDENTIALS, ...env, NODE_ENV: "production" }, "--out", out);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^touchpoint: PUBLIC_URL needs an https:\/\/ address for Teams in production \(got "/);
      expect(run.stderr.split("\n")).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    }
    const local = await teamsPackage(CREDENTIALS, "--out", out);
    expect(local.code).toBe(0);
    expect(local.stderr).toMatch(/^· PUBLIC_URL is http:\/\/localhost:3000, not https/);
    expect(local.stdout).toContain("messaging endpoint to https://<your public address>/api/messages");
    expect((await manifestIn(out)).validDomains).toEqual(["localhost:3000"]);
  });

  it("says so in one line when it cannot write the file", async () => {
    const out = join(dir, "missing", "touchpoint.zip");
    const run = await teamsPackage({ ...CREDENTIALS, ...HTTPS }, "--out", out);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`touchpoint: could not write ${out} (ENOENT)`);
  });

  it("is listed in --help with its options", async () => {
    const help = await teamsPackage({}, "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--out <file>\s+where to write the zip \(default: "touchpoint-teams.zip"\)/);
    expect(help.stdout).toContain("--app-id <id>");
  });

  // A second opinion from a real unzip, where the machine has one; the tests above need nothing.
  it.skipIf(spawnSync("unzip", ["-v"]).status !== 0)("writes a zip that unzip accepts", async () => {
    const out = join(dir, "unzip.zip");
    expect((await teamsPackage({ ...CREDENTIALS, ...HTTPS }, "--out", out)).code).toBe(0);
    const listing = execFileSync("unzip", ["-t", out], { encoding: "utf8" });
    expect(listing).toMatch(/testing: manifest\.json\s+OK/);
    expect(listing).toContain("No errors detected");
  });
});
