/**
 * Every card the Teams adapter sends, checked against the Adaptive Cards 1.5 JSON schema that
 * Microsoft publishes (shipped in packages/teams/schemas) and against Teams' message size limit.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import {
  AmbiguousContact,
  type Contact,
  type Digest,
  type DigestPost,
  type LoggedTouch,
  type Mention,
  type NudgeAction,
  type RelationshipDetail,
  type SettingsView,
  type SocialAccount,
  savedOnNudge,
  type Touchpoint,
  UnknownContact,
} from "@touchpoint/core";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { describe, expect, it } from "vitest";
import { contact, NOW, touch } from "../testing/fixtures.js";
import { type AdaptiveCard, CARD_VERSION, MESSAGE_MAX_BYTES, messageBytes } from "./card.js";
import * as connectXCards from "./connect-x.js";
import { connectXAdminsOnly, connectXForm, importHelp, xConnected } from "./connect-x.js";
import * as contactCards from "./contact.js";
import { contactCard, contactSaved, contactsFound, lookupProblem, nudgesInPersonalChat } from "./contact.js";
import * as digestCards from "./digest.js";
import { digestCard } from "./digest.js";
import * as helpCards from "./help.js";
import { help, notInTeamsYet } from "./help.js";
import * as installCards from "./install.js";
import { noTenant, notInstalled, welcome } from "./install.js";
import * as nudgeCards from "./nudge.js";
import { addContactForm, contactAddedFromNudge, doneOnNudge, logTouchForm, nudgeAlreadyDone } from "./nudge.js";
import { cardActivity } from "./send.js";
import * as settingsCards from "./settings.js";
import { type AdminCandidates, MOST_CANDIDATES, settingsAdminsOnly, settingsForm, settingsSaved } from "./settings.js";
import * as touchCards from "./touch.js";
import {
  alreadyHandled,
  chooseContact,
  commandProblem,
  problem,
  touchLogged,
  touchUndone,
  unconfirmedSaves,
  unknownContact,
} from "./touch.js";

// ---------------------------------------------------------------------------------------------
// The validator

const require = createRequire(import.meta.url);
const draft06 = require("ajv/lib/refs/json-schema-draft-06.json") as object;
const published = JSON.parse(
  readFileSync(new URL("../../schemas/adaptive-card-1.5.json", import.meta.url), "utf8"),
) as Record<string, unknown> & { definitions: Record<string, { properties?: { type?: { enum?: string[] } } }> };

/** Draft-06 names a schema with `id`; ajv 8 reads `$id`. */
const { id: schemaId, ...rest } = published as typeof published & { id: string };
const schema = { ...rest, $id: schemaId as string };
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
ajv.addMetaSchema(draft06);
const validate = ajv.compile(schema);

/** The definitions an object picks by its `type` ("TextBlock", "Action.Submit" …). */
const TYPED = new Set(
  Object.entries(published.definitions)
    .filter(([, definition]) => definition.properties?.type?.enum)
    .map(([name]) => name),
);

function at(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

const typeOf = (node: unknown): string | undefined =>
  node !== null && typeof node === "object" && typeof (node as { type?: unknown }).type === "string"
    ? (node as { type: string }).type
    : undefined;

/** Every object in the card that names a type (the card, its elements, actions, text runs), with where. */
function* typedNodes(node: unknown, path = ""): Generator<readonly [string, Record<string, unknown>]> {
  if (node === null || typeof node !== "object") return;
  if (typeOf(node)) yield [path, node as Record<string, unknown>];
  for (const [key, child] of Object.entries(node)) yield* typedNodes(child, `${path}/${key}`);
}

/** Whether an error inside `node` at `pointer` belongs to an object deeper down that names its own type. */
function inDeeperTyped(node: unknown, pointer: string): boolean {
  const parts = pointer.split("/");
  for (let n = 2; n <= parts.length; n++) if (typeOf(at(node, parts.slice(0, n).join("/")))) return true;
  return false;
}

/** An error of one type's definition, said in one line; the branches of a value's anyOf said as one. */
function describeErrors(errors: readonly ErrorObject[], base: string, node: unknown): string[] {
  const lines: string[] = [];
  const paths = [...new Set(errors.map((e) => e.instancePath))];
  for (const path of paths) {
    const here = errors.filter((e) => e.instancePath === path);
    const where = `${base}${path}` || "/";
    const alternatives = here.some((e) => e.keyword === "anyOf");
    const choices = ["anyOf", "enum", "pattern", "type"];
    if (alternatives && here.every((e) => choices.includes(e.keyword))) {
      const allowed = here.flatMap((e) =>
        e.keyword === "enum" ? (e.params as { allowedValues: unknown[] }).allowedValues : [],
      );
      lines.push(`${where}: ${JSON.stringify(at(node, path))} is not one of ${JSON.stringify(allowed)}`);
      continue;
    }
    for (const e of here) {
      if (alternatives && (e.keyword === "anyOf" || e.keyword === "type")) continue;
      const extra =
        e.keyword === "additionalProperties"
          ? `: "${(e.params as { additionalProperty: string }).additionalProperty}"`
          : e.keyword === "enum"
            ? ` ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`
            : "";
      lines.push(`${where}: ${e.message}${extra}`);
    }
  }
  return lines;
}

const definitionValidators = new Map<string, ValidateFunction>();
function definition(type: string): ValidateFunction {
  let found = definitionValidators.get(type);
  if (!found) {
    found = ajv.getSchema(`${schemaId}#/definitions/${type}`);
    if (!found) throw new Error(`the schema has no definition ${type}`);
    definitionValidators.set(type, found);
  }
  return found;
}

/**
 * What is wrong with a card, one line each, or []. The schema tries every element type in turn
 * (anyOf), so ajv's own list also says how a TextBlock fails to be an ActionSet, a Container and
 * the rest. Instead, once the card fails, each object that names its type is checked against that
 * type's definition alone (what lies in a deeper typed object is left to that one), and a type the
 * schema does not know is said as such.
 */
function problems(card: unknown): string[] {
  const found: string[] = [];
  const version = (card as { version?: unknown }).version;
  if (version !== CARD_VERSION) found.push(`/version: must be "${CARD_VERSION}", is ${JSON.stringify(version)}`);
  if (validate(card)) return found;
  for (const [path, node] of typedNodes(card)) {
    const type = typeOf(node) as string;
    if (!TYPED.has(type)) {
      found.push(`${path}/type: "${type}" is not a type Adaptive Cards 1.5 knows`);
      continue;
    }
    const check = definition(type);
    if (check(node)) continue;
    const own = (check.errors ?? []).filter((e) => !inDeeperTyped(node, e.instancePath));
    found.push(...describeErrors(own, path, node));
  }
  return found.length > 0 ? found : (validate.errors ?? []).map((e) => `${e.instancePath || "/"}: ${e.message}`);
}

/** The message Teams gets, as botbuilder builds it, in UTF-8 bytes. */
const sentBytes = (card: AdaptiveCard) => Buffer.byteLength(JSON.stringify(cardActivity(card)), "utf8");

// ---------------------------------------------------------------------------------------------
// Every card

const LONG = "x".repeat(10_000);
/** Text at its worst for size and rendering: emoji (4 UTF-8 bytes), quotes and controls (escaped in JSON), markdown. */
const NASTY = `${'🎉"\u0001\\'.repeat(2_000)} **[click](https://evil.example)** <b>`;

const jane = contact("Jane Doe", {
  segment: "major donor",
  identities: [{ platform: "x", handle: "janedoe", externalUserId: null }],
});
const logged = (overrides: Partial<LoggedTouch> = {}): LoggedTouch => ({
  touchpoint: touch(),
  contact: jane,
  previous: null,
  created: true,
  timeZone: "UTC",
  ...overrides,
});

function post(n: number, text = `Thanks for the gala invite! #${n}`): DigestPost {
  return {
    mentionId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    postId: String(1_800_000_000_000_000_000n + BigInt(n)),
    url: `https://x.com/someone/status/${1_800_000_000_000_000_000n + BigInt(n)}`,
    text,
    postedAt: new Date("2026-03-09T10:00:00Z"),
    ageHours: 29,
    authorHandle: "someone",
    authorName: "Someone Nice",
  };
}

const tenantId = "0a1b2c3d-0000-4000-8000-000000000001";
const owned = { id: "c1", name: "Maria Chen", segment: "major donor", owner: "Sam Rivera" };

/** A full day of realistic size: every list at core's cap, posts of a full 280 characters. */
const busyDay: Digest = {
  tenantId,
  organization: "Riverside Food Bank",
  timeZone: "America/New_York",
  asOf: NOW,
  localDate: "2026-03-10",
  owner: null,
  kind: "daily",
  dayLabel: "Tuesday 10 Mar",
  waiting: {
    items: [1, 2, 3, 4, 5].map((n) => ({ post: post(n, "y".repeat(280)), contact: owned, assignee: null })),
    total: 40,
  },
  goingCold: {
    items: [1, 2, 3, 4, 5].map((n) => ({
      contact: { ...owned, id: `c${n}` },
      daysSince: 62,
      cadenceDays: 30,
      reason: "62 days since the last touch (cadence 30)",
      lastTouch: { channel: "call" as const, occurredAt: new Date("2026-01-07T12:00:00Z"), note: "z".repeat(200) },
    })),
    total: 300,
  },
  newVoices: { items: [6, 7, 8].map((n) => ({ post: post(n, "v".repeat(280)), followers: 240_000 })), total: 12 },
  skippedBots: { items: [{ post: post(9), why: "3 followers, follows 4,800, 7 posts, default avatar" }], total: 6 },
  stats: { yesterday: { mentions: 9, replied: 6 }, medianReplyMinutes: 130, conversationRatio: 0.64 },
  empty: false,
};

/** Every text at its longest and worst: 10,000 characters of emoji, quotes and control characters. */
const hugeDay: Digest = {
  ...busyDay,
  organization: NASTY,
  // An owner is a platform user id (Teams' run to about 130 characters); it rides in every button whole.
  owner: `29:${"1".repeat(130)}`,
  waiting: {
    items: [0, 1, 2, 3, 4].map((n) => ({
      post: { ...post(n, NASTY), authorHandle: NASTY, authorName: NASTY, url: `https://x.com/${LONG}` },
      contact: { id: `c${n}`, name: NASTY, segment: NASTY, owner: NASTY },
      assignee: n % 2 === 0 ? null : NASTY,
    })),
    total: 200,
  },
  goingCold: {
    items: busyDay.goingCold.items.map((item) => ({
      ...item,
      contact: { id: item.contact.id, name: NASTY, segment: NASTY, owner: NASTY },
      reason: NASTY,
      lastTouch: { channel: "email" as const, occurredAt: new Date("2026-01-07T12:00:00Z"), note: NASTY },
    })),
    total: 300,
  },
  newVoices: {
    items: [6, 7, 8].map((n) => ({
      post: { ...post(n, NASTY), authorName: NASTY, authorHandle: NASTY },
      followers: null,
    })),
    total: 999,
  },
  skippedBots: { items: [{ post: { ...post(9), authorHandle: NASTY }, why: NASTY }], total: 40 },
};

const emptyDay: Digest = {
  ...busyDay,
  waiting: { items: [], total: 0 },
  goingCold: { items: [], total: 0 },
  newVoices: { items: [], total: 0 },
  skippedBots: { items: [], total: 0 },
  stats: { yesterday: { mentions: 0, replied: 0 }, medianReplyMinutes: null, conversationRatio: null },
  empty: true,
};

const KINDS = ["replied", "snoozed", "assigned", "touched", "added"] as const;
const everyAction: Record<string, NudgeAction> = Object.fromEntries(
  [
    ...busyDay.waiting.items.map((i) => `mention:${i.post.mentionId}`),
    ...busyDay.goingCold.items.map((i) => `contact:${i.contact.id}`),
    ...busyDay.newVoices.items.map((i) => `mention:${i.post.mentionId}`),
  ].map((key, n) => [
    key,
    {
      kind: KINDS[n % KINDS.length] ?? "replied",
      by: NASTY,
      at: NOW.toISOString(),
      detail: "for a week",
    },
  ]),
);

const many = Array.from({ length: 200 }, (_, i) =>
  contact(`Pat Kim ${i}`, {
    segment: "volunteer",
    identities: [{ platform: "email", handle: `pat${i}@example.org`, externalUserId: null }],
  }),
);

/** A relationship as `contact show` gets it from core. */
function relationship(c: Contact, touches: Touchpoint[]): RelationshipDetail {
  const last = touches[0];
  return {
    summary: {
      contact: c,
      lastTouch: last ? { channel: last.channel, occurredAt: last.occurredAt, note: last.note } : null,
      daysSince: last ? 12 : null,
      cadenceDays: 30,
      overdueRatio: last ? 0.4 : null,
      status: last ? "healthy" : "never",
      recent: last ? { total: touches.length, inbound: 1, outbound: touches.length - 1 } : null,
    } as RelationshipDetail["summary"],
    recentTouches: touches,
    timeZone: "America/New_York",
  };
}

/** A new voice's mention, as Add as contact prefills its form from it. */
function mention(handle: string, name: string | null): Mention {
  return {
    tenantId: "t",
    id: "m-1",
    platform: "x",
    postId: "1800000000000000001",
    author: {
      externalUserId: "555",
      handle,
      name,
      followers: 5000,
      following: 300,
      postCount: 4000,
      defaultAvatar: false,
      createdAt: NOW,
      verified: false,
    },
    contactId: null,
    text: "how do I volunteer?",
    url: `https://x.com/${handle}/status/1800000000000000001`,
    postedAt: NOW,
    kind: "mention",
    conversationId: null,
    status: "needs_reply",
    snoozedUntil: null,
    assignee: null,
    repliedAt: null,
  };
}

/** What a form opened from the nudge carries (the owner a Teams user id at its longest). */
const formData = {
  action: "nudge_log_touch_save",
  tenant_id: tenantId,
  local_date: "2026-03-10",
  kind: "daily",
  owner: `29:${"1".repeat(130)}`,
  item: "contact:c1",
  nudge_activity: "1741612345678",
};

/** The nudge's forms and answers (cards/nudge.ts). */
const CHANNEL = "19:abc123@thread.tacv2";
function settingsView(
  overrides: { nudgeChannel?: string | null; cadences?: Record<string, number> } = {},
): SettingsView {
  return {
    tenant: {
      id: "tenant-1",
      platform: "teams",
      externalId: "entra-1",
      enterpriseId: null,
      name: "Riverside",
      timeZone: "America/New_York",
      nudgeTime: "09:00",
      nudgeChannel: overrides.nudgeChannel === undefined ? CHANNEL : overrides.nudgeChannel,
      settings: { cadenceBySegment: overrides.cadences ?? {}, whenNothingToSay: "skip", ownerDms: false },
      createdAt: NOW,
    },
    admins: [
      { tenantId: "tenant-1", platformUserId: "aad-1", role: "admin", displayName: "Amy Admin" },
      { tenantId: "tenant-1", platformUserId: "aad-2", role: "admin", displayName: NASTY },
    ],
    canEdit: true,
  };
}
const manySegments = Object.fromEntries(Array.from({ length: 40 }, (_, n) => [`segment ${n}`, 30]));

/** Who a form offers as admins: two colleagues in a channel; a personal chat has nobody else. */
const colleagues: AdminCandidates = {
  people: [
    { id: "aad-3", name: "Sam Staff" },
    { id: "aad-4", name: null },
  ],
  more: false,
  personalChat: false,
};
const personalChat: AdminCandidates = { people: [], more: false, personalChat: true };
/** The largest form: a crowd at the most it offers, every name at its worst, and twenty admins. */
const crowd: AdminCandidates = {
  people: Array.from({ length: MOST_CANDIDATES }, (_, n) => ({
    id: `${String(n).padStart(8, "0")}-0000-4000-8000-000000000000`,
    name: NASTY,
  })),
  more: true,
  personalChat: false,
};
function crowdedView(): SettingsView {
  const view = settingsView({ cadences: manySegments });
  const admins = Array.from({ length: 20 }, (_, n) => ({
    tenantId: "tenant-1",
    platformUserId: `${String(n).padStart(8, "a")}-0000-4000-8000-000000000000`,
    role: "admin" as const,
    displayName: NASTY,
  }));
  return { ...view, admins };
}

const SETTINGS_CASES: readonly (readonly [builder: string, name: string, card: () => AdaptiveCard])[] = [
  ["settingsForm", "asked in the nudge's channel", () => settingsForm(settingsView(), CHANNEL, colleagues)],
  ["settingsForm", "asked in another channel", () => settingsForm(settingsView(), "19:other@thread.tacv2", colleagues)],
  [
    "settingsForm",
    "asked in a personal chat, no channel yet",
    () => settingsForm(settingsView({ nudgeChannel: null }), null, personalChat),
  ],
  [
    "settingsForm",
    "Teams could not say who is in the conversation",
    () => settingsForm(settingsView(), CHANNEL, { people: null, more: false, personalChat: false }),
  ],
  [
    "settingsForm",
    "many segments, admins and people, names at their worst",
    () => settingsForm(crowdedView(), CHANNEL, crowd),
  ],
  [
    "settingsForm",
    "many segments of its own",
    () => settingsForm(settingsView({ cadences: manySegments }), CHANNEL, colleagues),
  ],
  ["settingsSaved", "saved", () => settingsSaved(settingsView({ cadences: manySegments }), CHANNEL)],
  ["settingsSaved", "saved, no channel", () => settingsSaved(settingsView({ nudgeChannel: null }), null)],
  ["settingsAdminsOnly", "not an admin", () => settingsAdminsOnly(settingsView().admins)],
  ["settingsAdminsOnly", "no admins", () => settingsAdminsOnly([])],
];

const xAccount = (overrides: Partial<SocialAccount> = {}): SocialAccount => ({
  tenantId: "tenant-1",
  id: "sa-1",
  platform: "x",
  handle: "riversidefood",
  externalUserId: "7700112233",
  status: "active",
  createdAt: NOW,
  ...overrides,
});

const CONNECT_X_CASES: readonly (readonly [builder: string, name: string, card: () => AdaptiveCard])[] = [
  ["connectXForm", "nothing connected yet", () => connectXForm(undefined, "tenant-1")],
  ["connectXForm", "connected now", () => connectXForm(xAccount(), "tenant-1")],
  [
    "connectXForm",
    "paused, after X refused a token, the text at its worst",
    () =>
      connectXForm(xAccount({ status: "paused", handle: NASTY }), "tenant-1", {
        handle: NASTY,
        problem: "X refused that bearer token; copy it again from the X developer portal.",
      }),
  ],
  ["xConnected", "connected", () => xConnected(xAccount(), "Riverside Food Bank")],
  ["xConnected", "connected, names at their worst", () => xConnected(xAccount({ handle: NASTY }), NASTY)],
  ["connectXAdminsOnly", "not an admin", () => connectXAdminsOnly(settingsView().admins)],
  ["connectXAdminsOnly", "no admins", () => connectXAdminsOnly([])],
  ["importHelp", "import explained", () => importHelp("72f988bf-86f1-41af-91ab-2d7cd011db47")],
];

const NUDGE_FORM_CASES: readonly (readonly [builder: string, name: string, card: () => AdaptiveCard])[] = [
  ["logTouchForm", "log touch on a going-cold contact", () => logTouchForm("Maria Chen", formData)],
  ["logTouchForm", "log touch, the name at its worst", () => logTouchForm(NASTY, formData)],
  [
    "addContactForm",
    "add as contact, prefilled",
    () => addContactForm(mention("newfriend", "New Friend"), { ...formData, action: "nudge_add_contact_save" }),
  ],
  [
    "addContactForm",
    "add as contact, every text at its worst",
    () => addContactForm(mention(NASTY, NASTY), { ...formData, action: "nudge_add_contact_save" }),
  ],
  [
    "nudgeAlreadyDone",
    "a stale press",
    () => nudgeAlreadyDone("Amy Admin", { kind: "assigned", by: "aad-1", at: NOW.toISOString() }),
  ],
  [
    "nudgeAlreadyDone",
    "a stale press, the name at its worst",
    () => nudgeAlreadyDone(NASTY, { kind: "touched", by: NASTY, at: NOW.toISOString(), detail: NASTY }),
  ],
  ["contactAddedFromNudge", "a contact added from a mention", () => contactAddedFromNudge(jane, 1)],
  ["contactAddedFromNudge", "a contact added, name at its worst", () => contactAddedFromNudge(contact(NASTY), 12)],
  [
    "doneOnNudge",
    "a press done with no nudge to show it",
    () => doneOnNudge(savedOnNudge({ kind: "snoozed", detail: "for a week" })),
  ],
  ["doneOnNudge", "a press done, its words at their worst", () => doneOnNudge({ said: NASTY })],
];

/** Saves whose confirmation didn't arrive (cards/touch.ts). */
const UNCONFIRMED_CASES: readonly (readonly [builder: string, name: string, card: () => AdaptiveCard])[] = [
  [
    "unconfirmedSaves",
    "one touch, with its Undo",
    () => unconfirmedSaves([{ said: "Your call with Jane Doe was saved", touchpointId: "tp-1" }]),
  ],
  [
    "unconfirmedSaves",
    "many, every text at its worst",
    () =>
      unconfirmedSaves(
        Array.from({ length: 40 }, (_, n) => ({ said: NASTY, ...(n % 2 === 0 && { touchpointId: `tp-${n}` }) })),
      ),
  ],
];

/** Each card the package can send, by the builder that makes it. */
const CASES: readonly (readonly [builder: string, name: string, card: () => AdaptiveCard])[] = [
  ["touchLogged", "a touch, first with the contact", () => touchLogged(logged(), NOW, "UTC")],
  [
    "touchLogged",
    "a touch with the previous one and its note",
    () =>
      touchLogged(
        logged({
          previous: touch({ id: "tp-0", channel: "email", occurredAt: new Date("2026-03-01T12:00:00Z"), note: LONG }),
        }),
        NOW,
        "America/New_York",
      ),
  ],
  [
    "touchLogged",
    "a touch without a note, logged before",
    () => touchLogged(logged({ touchpoint: touch({ note: null }), created: false }), NOW, "UTC"),
  ],
  ["touchUndone", "undone", () => touchUndone(jane, touch(), false)],
  ["touchUndone", "already undone, contact gone", () => touchUndone(undefined, touch(), true)],
  [
    "commandProblem",
    "a command problem",
    () => commandProblem({ message: "/touch needs a who.", usage: "/touch <who> [note]" }),
  ],
  ["problem", "an error", () => problem("Something went wrong on our side; nothing was saved.")],
  ["alreadyHandled", "already handled", () => alreadyHandled()],
  ["chooseContact", "one near match", () => chooseContact("Jane", [jane], "pending-1")],
  ["chooseContact", "200 matches", () => chooseContact(`"${LONG}"`, many, "pending-2")],
  ["unknownContact", "unknown name", () => unknownContact({ kind: "name", name: LONG, raw: `"${LONG}"` }, "pending-3")],
  [
    "unknownContact",
    "unknown X handle",
    () => unknownContact({ kind: "handle", handle: "janedoe", raw: "@janedoe" }, "p"),
  ],
  [
    "unknownContact",
    "unknown Bluesky handle",
    () => unknownContact({ kind: "handle", handle: "jane.bsky.social", raw: "@jane.bsky.social" }, "p"),
  ],
  [
    "unknownContact",
    "unknown email",
    () => unknownContact({ kind: "email", email: "jane@example.org", raw: "jane@example.org" }, "p"),
  ],
  ["help", "help", () => help()],
  ["notInTeamsYet", "a command Teams does not answer yet", () => notInTeamsYet("contact")],
  ["welcome", "welcome after install", () => welcome()],
  ["notInstalled", "not installed", () => notInstalled()],
  ["noTenant", "no Teams tenant", () => noTenant()],
  ["digestCard", "the nudge, a busy day", () => digestCard(busyDay)],
  ["digestCard", "the nudge, a busy day, with buttons", () => digestCard(busyDay, { buttons: true })],
  ["digestCard", "the nudge, every item handled", () => digestCard(busyDay, { buttons: true, actions: everyAction })],
  ["digestCard", "the nudge, huge", () => digestCard(hugeDay, { buttons: true })],
  [
    "digestCard",
    "the nudge, huge, as the sender posts it (its delivery id)",
    () => digestCard(hugeDay, { buttons: true, deliveryId: "5b0e1c9a-3f2d-4e8b-9a71-2c6d8e4f0b13" }),
  ],
  [
    "digestCard",
    "the nudge, huge, every item handled",
    () => digestCard(hugeDay, { buttons: true, actions: everyAction }),
  ],
  ["digestCard", "the nudge, all caught up", () => digestCard(emptyDay, { buttons: true })],
  [
    "digestCard",
    "the first nudge, one owner's",
    () => digestCard({ ...busyDay, kind: "welcome", owner: "Sam Rivera" }, { buttons: true }),
  ],
  ["contactSaved", "a contact added", () => contactSaved("Added", jane)],
  [
    "contactSaved",
    "a contact updated, every field at its longest",
    () =>
      contactSaved(
        "Updated",
        contact(NASTY, {
          segment: NASTY,
          owner: "aad-1",
          cadenceDays: 30,
          tags: Array.from({ length: 50 }, (_, n) => `tag${n}`),
          identities: [
            { platform: "x", handle: "janedoe", externalUserId: null },
            { platform: "email", handle: "jane@example.org", externalUserId: null },
          ],
        }),
        () => NASTY,
      ),
  ],
  ["contactCard", "a contact never touched", () => contactCard(relationship(jane, []), NOW)],
  [
    "contactCard",
    "a contact with five touches and notes, at their longest",
    () =>
      contactCard(
        relationship(contact(NASTY, { segment: NASTY, owner: "aad-1", notes: LONG, tags: ["gala"] }), [
          touch({ note: NASTY }),
          touch({ id: "tp-2", channel: "email", note: null }),
          touch({ id: "tp-3", channel: "meeting", note: LONG }),
          touch({ id: "tp-4", direction: "inbound" }),
          touch({ id: "tp-5" }),
        ]),
        NOW,
        () => "Sam Rivera",
      ),
  ],
  ["contactsFound", "no match", () => contactsFound("gala", [])],
  ["contactsFound", "one match", () => contactsFound("jane", [jane])],
  ["contactsFound", "200 matches", () => contactsFound(LONG, many, () => NASTY)],
  ["lookupProblem", "nobody matches", () => lookupProblem(new UnknownContact("@nobody"), "/contact show <who>")],
  ["lookupProblem", "200 match", () => lookupProblem(new AmbiguousContact('"Pat Kim"', many), "/contact show <who>")],
  ["nudgesInPersonalChat", "nudges asked in a channel", () => nudgesInPersonalChat()],
  ...NUDGE_FORM_CASES,
  ...UNCONFIRMED_CASES,
  ...SETTINGS_CASES,
  ...CONNECT_X_CASES,
];

/** Exports of the card modules that are not cards. */
const NOT_CARDS = new Set(["withoutSlash", "nudgeButtonOf", "contactNameInput"]);

describe("every Teams card against the Adaptive Cards 1.5 schema", () => {
  it.each(CASES.map(([builder, name, make]) => [`${builder}: ${name}`, make] as const))("%s", (_, make) => {
    const card = make();
    expect(problems(card)).toEqual([]);
    // "About 28 KB" a message in Teams (Microsoft's Limits and specifications for Teams).
    expect(sentBytes(card)).toBeLessThan(MESSAGE_MAX_BYTES);
    expect(sentBytes(card)).toBeLessThanOrEqual(messageBytes(card) + 64);
  });

  it("covers every card builder the package has", () => {
    const builders = Object.entries({
      ...touchCards,
      ...helpCards,
      ...installCards,
      ...digestCards,
      ...nudgeCards,
      ...contactCards,
      ...settingsCards,
      ...connectXCards,
    })
      .filter(([name, value]) => typeof value === "function" && !NOT_CARDS.has(name))
      .map(([name]) => name)
      .sort();
    expect(builders).toEqual([...new Set(CASES.map(([builder]) => builder))].sort());
  });

  it("keeps the huge nudge inside the limit by showing fewer items, and counts the rest", () => {
    const card = digestCard(hugeDay, { buttons: true });
    const json = JSON.stringify(card);
    const shown = (json.match(/"action":"nudge_replied"/g) ?? []).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(8);
    expect(json).toMatch(/and \d+ more/);
    expect(sentBytes(card)).toBeLessThan(MESSAGE_MAX_BYTES);
  });

  it("shows a realistic busy day whole", () => {
    const json = JSON.stringify(digestCard(busyDay, { buttons: true }));
    expect((json.match(/"action":"nudge_replied"/g) ?? []).length).toBe(8);
    expect((json.match(/"action":"nudge_log_touch"/g) ?? []).length).toBe(5);
  });
});

describe("the validator itself", () => {
  const good = (): AdaptiveCard => help();

  it("rejects a misspelled element type, and says which", () => {
    const card = { ...good(), body: [{ type: "TextBlok", text: "hi", wrap: true }] };
    const found = problems(card);
    expect(found).toContain('/body/0/type: "TextBlok" is not a type Adaptive Cards 1.5 knows');
  });

  it("rejects a property an element does not have, naming only that element's fault", () => {
    const card = { ...good(), body: [{ type: "TextBlock", text: "hi", wrapp: true }] };
    expect(problems(card)).toEqual(['/body/0: must NOT have additional properties: "wrapp"']);
  });

  it("rejects a wrong value, a missing required field, a bad action and a missing or other version", () => {
    expect(problems({ ...good(), body: [{ type: "TextBlock", text: "hi", size: "Huge" }] })).toEqual([
      '/body/0/size: "Huge" is not one of ["default","small","medium","large","extraLarge"]',
    ]);
    expect(problems({ ...good(), body: [{ type: "FactSet" }] })).toEqual([
      "/body/0: must have required property 'facts'",
    ]);
    expect(problems({ ...good(), actions: [{ type: "Action.Sumbit", title: "Go" }] })).toContain(
      '/actions/0/type: "Action.Sumbit" is not a type Adaptive Cards 1.5 knows',
    );
    const { version: _, ...unversioned } = good();
    expect(problems(unversioned)).toEqual(['/version: must be "1.5", is undefined']);
    expect(problems({ ...good(), version: "1.6" })).toEqual(['/version: must be "1.5", is "1.6"']);
  });

  it("rejects a field the card itself does not have in 1.5", () => {
    expect(problems({ ...good(), metadata: { webUrl: "https://example.org" } })).toEqual([
      '/: must NOT have additional properties: "metadata"',
    ]);
  });
});
