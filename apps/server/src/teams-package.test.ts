import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { COMMAND_NAMES, parseMessage } from "@touchpoint/core";
import { describe, expect, it } from "vitest";
import { encodePng } from "./png.js";
import {
  COLOR_ICON,
  OUTLINE_ICON,
  type TeamsManifest,
  teamsIcons,
  teamsManifest,
  teamsPackage,
  teamsPackageSettings,
} from "./teams-package.js";
import { readPng, readZip } from "./testing/archives.js";
import { validate } from "./testing/json-schema.js";
import { zip } from "./zip.js";

const APP_ID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
const SCHEMA_URL = "https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.schema.json";
const schema = JSON.parse(
  readFileSync(new URL("../teams/schema/v1.17/MicrosoftTeams.schema.json", import.meta.url), "utf8"),
) as { properties: { manifestVersion: { const: string } } };

const manifest = (publicUrl = "https://touchpoint.example.org/") => teamsManifest({ appId: APP_ID, publicUrl });

describe("the Teams app manifest", () => {
  it("is valid against the v1.17 schema", () => {
    const built = manifest();
    expect(built.$schema).toBe(SCHEMA_URL);
    expect(built.manifestVersion).toBe(schema.properties.manifestVersion.const);
    expect(validate(schema, built)).toEqual([]);
  });

  it("is checked for real: the schema catches a broken manifest", () => {
    const { id: _id, ...withoutId } = manifest();
    const broken = { ...withoutId, accentColor: "teal", bots: [{ ...manifest().bots[0], botId: "not-a-guid" }] };
    expect(validate(schema, broken).sort()).toEqual([
      "$.accentColor: should match ^#[0-9a-fA-F]{6}$",
      "$.bots[0].botId: should match ^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$",
      "$: missing id",
    ]);
    expect(validate(schema, { ...manifest(), extra: true })).toEqual(["$: unexpected property extra"]);
  });

  it("is the bot's app: one id, every scope, no files, PUBLIC_URL's domain", () => {
    const built = manifest();
    expect(built.id).toBe(APP_ID);
    expect(built.bots).toHaveLength(1);
    expect(built.bots[0]?.botId).toBe(APP_ID);
    expect(built.bots[0]?.scopes).toEqual(["personal", "team", "groupChat"]);
    expect(built.bots[0]?.supportsFiles).toBe(false);
    expect(built.validDomains).toEqual(["touchpoint.example.org"]);
    expect(built.version).toBe(
      (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version,
    );
    expect(built.developer).toEqual({
      name: "Touchpoint",
      websiteUrl: "https://touchpoint.example.org",
      privacyUrl: "https://touchpoint.example.org",
      termsOfUseUrl: "https://touchpoint.example.org",
    });
    expect(JSON.stringify(built)).not.toContain("${");
    expect(manifest("https://example.org:8443/touchpoint").validDomains).toEqual(["example.org:8443"]);
  });

  it("asks each team and group chat for consent to read its messages, as the bot's own Entra app", () => {
    const built = manifest();
    // The nudge's sender reads a conversation's recent messages to find a card it may have posted.
    expect(built.webApplicationInfo).toEqual({ id: APP_ID, resource: "https://touchpoint.example.org" });
    expect(built.authorization?.permissions?.resourceSpecific).toEqual([
      { name: "ChannelMessage.Read.Group", type: "Application" },
      { name: "ChatMessage.Read.Chat", type: "Application" },
    ]);
    const { webApplicationInfo: _app, ...withoutApp } = built;
    expect(validate(schema, { ...withoutApp, webApplicationInfo: { resource: "x" } })).toEqual([
      "$.webApplicationInfo: missing id",
    ]);
  });

  it("offers the shared chat grammar's commands, without the slash, in every scope", () => {
    const lists = manifest().bots[0]?.commandLists ?? [];
    expect(lists).toHaveLength(1);
    expect(lists[0]?.scopes).toEqual(["personal", "team", "groupChat"]);
    const titles = lists[0]?.commands.map((command) => command.title);
    expect(titles).toEqual(["touch", "contact", "nudges", "touchpoint help", "touchpoint settings"]);
    // Every command word of the grammar is offered, and the full ones parse to what they say.
    expect(new Set(titles?.map((title) => title.split(" ")[0]))).toEqual(new Set(COMMAND_NAMES));
    const kind = (text: string) => {
      const parsed = parseMessage(text);
      return parsed.ok ? parsed.value.kind : parsed.error.message;
    };
    expect(["nudges", "touchpoint help", "touchpoint settings"].map(kind)).toEqual(["nudges", "help", "settings"]);
    for (const command of lists[0]?.commands ?? []) expect(command.description.length).toBeLessThanOrEqual(60);
  });
});

describe("the Teams package settings", () => {
  const env = { NODE_ENV: "development", PUBLIC_URL: "https://touchpoint.example.org", TEAMS_APP_ID: APP_ID } as const;

  it("takes the app id from --app-id, else TEAMS_APP_ID", () => {
    const fromEnv = teamsPackageSettings(env, {});
    expect(fromEnv.ok && fromEnv.value).toMatchObject({ appId: APP_ID, warnings: [] });
    const other = "00000000-1111-2222-3333-444444444444";
    const fromFlag = teamsPackageSettings(env, { appId: other });
    expect(fromFlag.ok && fromFlag.value.appId).toBe(other);
    expect(fromFlag.ok && fromFlag.value.warnings).toEqual([
      `--app-id ${other} is not this server's TEAMS_APP_ID; the package is for that other bot`,
    ]);
  });

  it("refuses without an app id, with one that is not a GUID, and plain http in production", () => {
    const refusal = (result: ReturnType<typeof teamsPackageSettings>) => (result.ok ? "" : result.error);
    expect(refusal(teamsPackageSettings({ ...env, TEAMS_APP_ID: undefined }, {}))).toMatch(
      /^no Teams app id: set TEAMS_APP_ID or pass --app-id/,
    );
    expect(refusal(teamsPackageSettings(env, { appId: "touchpoint-bot" }))).toMatch(/^--app-id needs .* a GUID/);
    expect(refusal(teamsPackageSettings({ ...env, TEAMS_APP_ID: "x" }, {}))).toMatch(/^TEAMS_APP_ID needs/);
    expect(
      refusal(
        teamsPackageSettings({ ...env, NODE_ENV: "production", PUBLIC_URL: "http://touchpoint.example.org" }, {}),
      ),
    ).toBe('PUBLIC_URL needs an https:// address for Teams in production (got "http://touchpoint.example.org")');
    const local = teamsPackageSettings({ ...env, PUBLIC_URL: "http://localhost:3000" }, {});
    expect(local.ok && local.value.warnings[0]).toMatch(/^PUBLIC_URL is http:\/\/localhost:3000, not https/);
  });
});

describe("the Teams icons", () => {
  const icons = teamsIcons(manifest().accentColor);

  it("are a 192×192 full-colour icon and a 32×32 outline, as PNGs", () => {
    const color = readPng(icons.color);
    const outline = readPng(icons.outline);
    expect([color.width, color.height]).toEqual([COLOR_ICON.size, COLOR_ICON.size]);
    expect([outline.width, outline.height]).toEqual([OUTLINE_ICON.size, OUTLINE_ICON.size]);
    for (const png of [color, outline]) {
      expect(png.bitDepth).toBe(8);
      expect(png.colorType).toBe(6);
      expect(png.chunks).toEqual(["IHDR", "IDAT", "IEND"]);
    }
  });

  it("fill the colour icon with the accent colour and the mark in white", () => {
    const color = readPng(icons.color);
    expect(color.pixel(0, 0)).toEqual([0x0f, 0x76, 0x6e, 255]);
    expect(color.pixel(96, 96)).toEqual([255, 255, 255, 255]); // the dot
    for (let y = 0; y < color.height; y += 7) {
      for (let x = 0; x < color.width; x += 7) expect(color.pixel(x, y)[3]).toBe(255);
    }
  });

  it("draw the outline in white on transparent and nothing else", () => {
    const outline = readPng(icons.outline);
    let drawn = 0;
    for (let y = 0; y < outline.height; y++) {
      for (let x = 0; x < outline.width; x++) {
        const [r, g, b, a] = outline.pixel(x, y);
        if (a > 0) {
          drawn++;
          expect([r, g, b]).toEqual([255, 255, 255]);
        }
      }
    }
    expect(outline.pixel(0, 0)[3]).toBe(0);
    expect(outline.pixel(16, 16)).toEqual([255, 255, 255, 255]);
    expect(drawn).toBeGreaterThan(100);
  });

  it("encode whatever size they are asked, and refuse a wrong pixel count", () => {
    const png = readPng(encodePng({ width: 3, height: 2, pixels: new Uint8Array(24).fill(200) }));
    expect([png.width, png.height, ...png.pixel(2, 1)]).toEqual([3, 2, 200, 200, 200, 200]);
    expect(() => encodePng({ width: 3, height: 2, pixels: new Uint8Array(23) })).toThrow(/needs 24 bytes/);
  });
});

describe("the Teams package", () => {
  it("zips manifest.json, color.png and outline.png at the root", () => {
    const files = readZip(teamsPackage({ appId: APP_ID, publicUrl: "https://touchpoint.example.org" }));
    expect(files.map((file) => file.name)).toEqual(["manifest.json", "color.png", "outline.png"]);
    const built = JSON.parse(files[0]?.data.toString("utf8") ?? "") as TeamsManifest;
    expect(built).toEqual(manifest("https://touchpoint.example.org"));
    expect(files.find((file) => file.name === built.icons.color)?.data).toEqual(teamsIcons(built.accentColor).color);
    expect(readPng(files.find((file) => file.name === built.icons.outline)?.data ?? Buffer.alloc(0)).width).toBe(32);
  });

  it("writes a ZIP that deflates what shrinks and stores what does not", () => {
    const noise = randomBytes(4096);
    const text = Buffer.from("touchpoint ".repeat(500));
    const files = readZip(
      zip(
        [
          { name: "empty.txt", data: Buffer.alloc(0) },
          { name: "dir/text.txt", data: text },
          { name: "noise.bin", data: noise },
        ],
        new Date(2026, 10, 24, 9, 30, 14),
      ),
    );
    expect(files.map((file) => [file.name, file.method, file.data.length])).toEqual([
      ["empty.txt", 0, 0],
      ["dir/text.txt", 8, text.length],
      ["noise.bin", 0, noise.length],
    ]);
    expect(files[1]?.data.equals(text)).toBe(true);
    expect(files[2]?.data.equals(noise)).toBe(true);
    expect(() => zip([{ name: "/etc/passwd", data: Buffer.alloc(1) }])).toThrow(/not a portable/);
    expect(() =>
      zip([
        { name: "a", data: Buffer.alloc(1) },
        { name: "a", data: Buffer.alloc(1) },
      ]),
    ).toThrow(/two ZIP entries/);
  });
});
