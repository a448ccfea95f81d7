import { readFileSync } from "node:fs";
import { err, ok, type Result } from "@touchpoint/core";
import type { Env } from "./env.js";
import { encodePng, type Image } from "./png.js";
import { zip } from "./zip.js";

/**
 * The Microsoft Teams app package: manifest.json (from apps/server/teams/manifest.json, with this
 * installation's app id and public address) and its two icons, drawn here, zipped at the root —
 * what Teams takes under Apps → Manage your apps → Upload an app.
 */

const TEMPLATE_FILE = new URL("../teams/manifest.json", import.meta.url);
const PACKAGE_FILE = new URL("../package.json", import.meta.url);

export const MANIFEST_FILE = "manifest.json";
export const COLOR_ICON = { file: "color.png", size: 192 } as const;
export const OUTLINE_ICON = { file: "outline.png", size: 32 } as const;

/** A Microsoft Entra application (client) id, which is what the Bot Framework calls the app id. */
const GUID = /^[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i;

export interface TeamsPackageInput {
  /** The bot's Microsoft App ID; the Teams app uses the same id. */
  readonly appId: string;
  /** Where Touchpoint is reached (PUBLIC_URL). */
  readonly publicUrl: string;
  /** The app version (semver); defaults to the server's package version. */
  readonly version?: string;
}

export interface TeamsPackageSettings extends TeamsPackageInput {
  /** Things worth saying that do not stop the package being written. */
  readonly warnings: readonly string[];
}

/**
 * What the package is built from: the app id from --app-id or TEAMS_APP_ID, and PUBLIC_URL, which
 * must be https in production (Teams only talks to bots over https). A refusal is one line.
 */
export function teamsPackageSettings(
  env: Pick<Env, "NODE_ENV" | "PUBLIC_URL" | "TEAMS_APP_ID">,
  flags: { readonly appId?: string | undefined },
): Result<TeamsPackageSettings, string> {
  const warnings: string[] = [];
  const flag = flags.appId?.trim();
  const appId = flag || env.TEAMS_APP_ID;
  const source = flag ? "--app-id" : "TEAMS_APP_ID";
  if (!appId) {
    return err(
      "no Teams app id: set TEAMS_APP_ID or pass --app-id (the Microsoft App ID of the bot's Azure registration)",
    );
  }
  if (!GUID.test(appId)) {
    return err(
      `${source} needs the bot's Microsoft App ID, a GUID like 00000000-0000-0000-0000-000000000000 (got ${JSON.stringify(appId)})`,
    );
  }
  if (flag && env.TEAMS_APP_ID && flag.toLowerCase() !== env.TEAMS_APP_ID.toLowerCase()) {
    warnings.push(`--app-id ${flag} is not this server's TEAMS_APP_ID; the package is for that other bot`);
  }
  const url = new URL(env.PUBLIC_URL);
  if (url.protocol !== "https:") {
    if (env.NODE_ENV === "production") {
      return err(
        `PUBLIC_URL needs an https:// address for Teams in production (got ${JSON.stringify(env.PUBLIC_URL)})`,
      );
    }
    warnings.push(
      `PUBLIC_URL is ${env.PUBLIC_URL}, not https: Teams reaches bots only over https, so set it to your public https address (a tunnel will do) before relying on this package`,
    );
  }
  return ok({ appId, publicUrl: env.PUBLIC_URL, warnings });
}

export interface TeamsCommand {
  readonly title: string;
  readonly description: string;
}

/** The parts of the manifest Touchpoint fills in or reads back; the template holds the rest. */
export interface TeamsManifest {
  readonly $schema: string;
  readonly manifestVersion: string;
  readonly version: string;
  readonly id: string;
  readonly accentColor: string;
  readonly icons: { readonly color: string; readonly outline: string };
  readonly bots: readonly {
    readonly botId: string;
    readonly scopes: readonly string[];
    readonly supportsFiles?: boolean;
    readonly commandLists?: readonly {
      readonly scopes: readonly string[];
      readonly commands: readonly TeamsCommand[];
    }[];
  }[];
  readonly validDomains?: readonly string[];
  /** The bot's Entra app, which resource-specific consent (`authorization`) is granted to. */
  readonly webApplicationInfo?: { readonly id: string; readonly resource?: string };
  /**
   * Resource-specific consent, granted by whoever adds the app to a team or group chat: reading that
   * conversation's messages through Microsoft Graph, so the nudge's sender can look for a card it
   * may already have posted before posting again.
   */
  readonly authorization?: {
    readonly permissions?: {
      readonly resourceSpecific?: readonly { readonly name: string; readonly type: "Application" | "Delegated" }[];
    };
  };
  readonly [field: string]: unknown;
}

/** The manifest for this installation: the template with its ${…} placeholders filled in. */
export function teamsManifest(input: TeamsPackageInput): TeamsManifest {
  const publicUrl = input.publicUrl.replace(/\/+$/, "");
  const values: Record<string, string> = {
    TEAMS_APP_ID: input.appId,
    PUBLIC_URL: publicUrl,
    // The host with its port, if it is not the default one: how Teams lists a domain.
    PUBLIC_HOST: new URL(publicUrl).host,
    VERSION: input.version ?? serverVersion(),
  };
  const fill = (value: unknown): unknown => {
    if (typeof value === "string") {
      return value.replace(/\$\{([A-Z_]+)\}/g, (whole, name: string) => {
        const replacement = values[name];
        if (replacement === undefined) throw new Error(`${TEMPLATE_FILE.pathname}: unknown placeholder ${whole}`);
        return replacement;
      });
    }
    if (Array.isArray(value)) return value.map(fill);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, fill(field)]));
    }
    return value;
  };
  return fill(JSON.parse(readFileSync(TEMPLATE_FILE, "utf8"))) as TeamsManifest;
}

/** The package to upload to Teams: manifest.json, color.png and outline.png at the zip's root. */
export function teamsPackage(input: TeamsPackageInput, modified: Date = new Date()): Buffer {
  const manifest = teamsManifest(input);
  const icons = teamsIcons(manifest.accentColor);
  return zip(
    [
      { name: MANIFEST_FILE, data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
      { name: manifest.icons.color, data: icons.color },
      { name: manifest.icons.outline, data: icons.outline },
    ],
    modified,
  );
}

/**
 * Touchpoint's mark, a dot inside a ring: white on the accent colour for the 192×192 colour icon,
 * and white on transparent for the 32×32 outline icon, as Teams asks.
 */
export function teamsIcons(accentColor: string): { readonly color: Buffer; readonly outline: Buffer } {
  const accent = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(accentColor);
  if (!accent) throw new Error(`accentColor needs #rrggbb (got ${JSON.stringify(accentColor)})`);
  const [red, green, blue] = accent.slice(1).map((hex) => Number.parseInt(hex, 16)) as [number, number, number];
  // The colour icon keeps its mark within the middle 96 px, leaving Teams room to round the corners.
  const color = draw(COLOR_ICON.size, { outer: 48, inner: 36, dot: 16 }, (coverage) => [
    Math.round(red + (255 - red) * coverage),
    Math.round(green + (255 - green) * coverage),
    Math.round(blue + (255 - blue) * coverage),
    255,
  ]);
  const outline = draw(OUTLINE_ICON.size, { outer: 14, inner: 10.5, dot: 4.5 }, (coverage) => [
    255,
    255,
    255,
    Math.round(255 * coverage),
  ]);
  return { color: encodePng(color), outline: encodePng(outline) };
}

type Paint = (coverage: number) => readonly [number, number, number, number];

/** The mark at `size` pixels, each pixel painted by how much of it the shape covers (4×4 samples). */
function draw(size: number, shape: { outer: number; inner: number; dot: number }, paint: Paint): Image {
  const samples = 4;
  const pixels = new Uint8Array(size * size * 4);
  const centre = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let inside = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const distance = Math.hypot(x + (sx + 0.5) / samples - centre, y + (sy + 0.5) / samples - centre);
          if (distance <= shape.dot || (distance >= shape.inner && distance <= shape.outer)) inside++;
        }
      }
      pixels.set(paint(inside / (samples * samples)), (y * size + x) * 4);
    }
  }
  return { width: size, height: size, pixels };
}

function serverVersion(): string {
  return (JSON.parse(readFileSync(PACKAGE_FILE, "utf8")) as { version: string }).version;
}
