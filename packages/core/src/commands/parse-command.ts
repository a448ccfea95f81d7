import { isValidCadence, MAX_CADENCE_DAYS } from "../domain/cadence.js";
import { MAX_NAME_LENGTH, normalizeSegment, normalizeTag, parseTagList } from "../domain/contact.js";
import {
  type Identity,
  looksLikeEmail,
  normalizeAnyHandle,
  normalizeEmail,
  normalizeXHandle,
} from "../domain/identity.js";
import { describeUnstorable } from "../domain/text.js";
import {
  channelForWord,
  type Direction,
  defaultDirection,
  isTouchChannel,
  MAX_NOTE_LENGTH,
  TOUCH_CHANNELS,
  type TouchChannel,
} from "../domain/touchpoint.js";
import { WEEKDAYS, type Weekday, type WhenSpec } from "../domain/when.js";
import { err, ok, type Result } from "../result.js";
import { plainText, protectTeamsMentions, readMarkup } from "./markup.js";
import { nextToken, type Token, tokenize } from "./tokenize.js";
import { USAGE, WHO_HELP } from "./usage.js";

/** Who a command is about, as typed; resolved to a contact by `resolveContact`. */
export type WhoRef =
  | { readonly kind: "handle"; readonly handle: string; readonly raw: string }
  | { readonly kind: "email"; readonly email: string; readonly raw: string }
  | { readonly kind: "name"; readonly name: string; readonly raw: string }
  | { readonly kind: "x_user"; readonly externalUserId: string; readonly raw: string }
  | { readonly kind: "contact"; readonly contactId: string; readonly raw: string };

export type OwnerRef =
  | { readonly kind: "me" }
  | { readonly kind: "none" }
  | { readonly kind: "member"; readonly userId: string }
  | { readonly kind: "text"; readonly value: string };

export interface TouchCommand {
  readonly kind: "touch";
  readonly who: WhoRef;
  readonly note: string | null;
  readonly channel: TouchChannel;
  readonly direction: Direction;
  readonly when: WhenSpec | null;
}

export interface ContactAddCommand {
  readonly kind: "contact_add";
  readonly name: string;
  readonly identities: readonly Identity[];
  readonly segment: string | null;
  readonly owner: OwnerRef | null;
  readonly cadenceDays: number | null;
  readonly tags: readonly string[];
}

export type ChatCommand =
  | TouchCommand
  | ContactAddCommand
  | { readonly kind: "contact_show"; readonly who: WhoRef }
  | { readonly kind: "contact_find"; readonly query: string }
  | {
      readonly kind: "contact_tag";
      readonly who: WhoRef;
      readonly add: readonly string[];
      readonly remove: readonly string[];
    }
  | { readonly kind: "contact_owner"; readonly who: WhoRef; readonly owner: OwnerRef }
  | { readonly kind: "contact_cadence"; readonly who: WhoRef; readonly cadenceDays: number | null }
  | { readonly kind: "nudges" }
  | { readonly kind: "help"; readonly topic: string | null }
  | { readonly kind: "settings" }
  | { readonly kind: "connect_x" }
  | { readonly kind: "import" };

export type CommandName = "touch" | "contact" | "nudges" | "touchpoint";
export const COMMAND_NAMES: readonly CommandName[] = ["touch", "contact", "nudges", "touchpoint"];

/** What was wrong with the text, and a correct way to write it. */
export class CommandError {
  readonly kind = "command_error";
  constructor(
    readonly message: string,
    readonly usage: string,
  ) {}

  toString(): string {
    return `${this.message}\nUsage: ${this.usage}`;
  }
}

type Parsed<T> = Result<T, CommandError>;

const MAX_TEXT_LENGTH = 12_000;

/**
 * Parses a slash command (`/touch`, `/contact`, `/nudges`, `/touchpoint`) and its text, as Slack
 * delivers them. Never throws: every input yields a command or an error that says how to fix it.
 */
export function parseCommand(command: string, text: string): Parsed<ChatCommand> {
  const name = command.trim().replace(/^\//, "").toLowerCase();
  if (text.length > MAX_TEXT_LENGTH) {
    const usage = name === "contact" ? USAGE.contact : USAGE.touch;
    return fail(`That is ${text.length.toLocaleString("en-US")} characters; keep it under 12,000.`, usage);
  }
  const unstorable = refuseUnstorable(text, name === "contact" ? USAGE.contact : USAGE.touch);
  if (unstorable) return unstorable;
  const body = protectTeamsMentions(text.trim());
  switch (name) {
    case "touch":
      return parseTouch(body);
    case "contact":
      return parseContact(body);
    case "nudges":
      return body === "" ? ok({ kind: "nudges" }) : fail("/nudges takes nothing after it.", USAGE.nudges);
    case "touchpoint":
      return parseTouchpoint(body);
    default:
      return fail(
        `/${name} is not a Touchpoint command; use ${COMMAND_NAMES.map((c) => `/${c}`).join(", ")}.`,
        USAGE.touchpoint,
      );
  }
}

/**
 * Parses a message written to the bot (Teams, DMs): the same grammar with the slash optional,
 * "touch @janedoe called" or "/touch @janedoe called". A bare "help" is help.
 */
export function parseMessage(text: string): Parsed<ChatCommand> {
  const unstorable = refuseUnstorable(text, USAGE.touch);
  if (unstorable) return unstorable;
  const trimmed = text.trim();
  const match = /^\/?([A-Za-z-]+)(?:\s+([\s\S]*))?$/.exec(trimmed);
  const word = match?.[1]?.toLowerCase();
  if (word === undefined) {
    return fail("Start with a command: touch, contact, nudges or touchpoint.", USAGE.touch);
  }
  if (word === "help" || word === "settings" || word === "connect-x" || word === "import") {
    return parseTouchpoint(trimmed.replace(/^\//, ""));
  }
  if (!(COMMAND_NAMES as readonly string[]).includes(word)) {
    return fail(`"${word}" is not a command; start with touch, contact, nudges or touchpoint.`, USAGE.touch);
  }
  return parseCommand(word, match?.[2] ?? "");
}

function fail(message: string, usage: string): Parsed<never> {
  return err(new CommandError(message, usage));
}

/**
 * Text with a character the database can't hold (a NUL, half an emoji, a control character) is
 * refused whole, before any of it is read: whatever it was going to become — a name, a note, a
 * tag, a search — would fail at the database or be stored as something else.
 */
function refuseUnstorable(text: string, usage: string): Parsed<never> | undefined {
  const found = describeUnstorable(text);
  return found === undefined ? undefined : fail(`The text holds ${found}; remove it and send it again.`, usage);
}

// ---------------------------------------------------------------------------------------------
// /touch <who> [note]

function parseTouch(body: string): Parsed<TouchCommand> {
  if (body === "") return fail("Say who you were in touch with.", USAGE.touch);
  const first = nextToken(body, 0);
  if (!first.ok) return fail(`Could not read who: ${first.error}.`, USAGE.touch);
  if (first.value === undefined) return fail("Say who you were in touch with.", USAGE.touch);
  const who = parseWho(first.value, USAGE.touch);
  if (!who.ok) return who;

  // Undo the quotes protectTeamsMentions put around Teams mentions: the note keeps what was sent.
  const rest = body
    .slice(first.value.end)
    .trim()
    .replace(/"(<at>.*?<\/at>)"/g, "$1");
  if (rest.length > MAX_NOTE_LENGTH) {
    return fail(
      `The note is ${rest.length.toLocaleString("en-US")} characters; keep it under ${MAX_NOTE_LENGTH.toLocaleString("en-US")}.`,
      USAGE.touch,
    );
  }
  const words = rest === "" ? [] : rest.split(/\s+/);

  let channel: TouchChannel | undefined;
  const kept: string[] = [];
  for (const word of words) {
    const via = /^via:(.*)$/i.exec(word);
    if (!via) {
      kept.push(word);
      continue;
    }
    if (channel !== undefined) return fail("via: is given twice; say the channel once.", USAGE.touch);
    const requested = (via[1] ?? "").toLowerCase().replace(/[.,;!?]+$/, "");
    const picked = isTouchChannel(requested) ? requested : channelForWord(requested);
    if (picked === undefined) {
      return fail(`"${requested}" is not a channel; use via: with one of ${TOUCH_CHANNELS.join(", ")}.`, USAGE.touch);
    }
    channel = picked;
  }
  channel ??= channelForWord(kept[0]) ?? "note";

  const when = findWhen(kept);
  if (!when.ok) return when;
  if (when.value?.spec.kind === "date") {
    // A typed date says when; it is not part of what happened ("met on 2026-09-20" → "met").
    const at = when.value.index;
    const onBefore = at > 0 && kept[at - 1]?.toLowerCase() === "on";
    kept.splice(onBefore ? at - 1 : at, onBefore ? 2 : 1);
  }
  const note = plainText(kept.join(" ")).trim();
  return ok({
    kind: "touch",
    who: who.value,
    note: note === "" ? null : note,
    channel,
    direction: defaultDirection(channel),
    when: when.value?.spec ?? null,
  });
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Words that make the weekday after them a date: "on Friday", "last Friday", "this Friday". */
const WEEKDAY_CUES = new Set(["on", "last", "this"]);

/**
 * When the note says it happened: a typed YYYY-MM-DD wins wherever it is; then "today" or
 * "yesterday"; then a weekday where it reads as a time ("met Friday", "on Friday", last word) and
 * not as part of a name ("the Tuesday pickup").
 */
function findWhen(words: readonly string[]): Parsed<{ spec: WhenSpec; index: number } | null> {
  const clean = words.map((word) => word.toLowerCase().replace(/^[(]+|[.,;:!?)]+$/g, ""));
  for (const [index, w] of clean.entries()) {
    const iso = ISO_DATE.exec(w);
    if (!iso) continue;
    const [, y, m, d] = iso;
    const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    if (date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) {
      return fail(`${w} is not a real date; write dates as YYYY-MM-DD.`, USAGE.touch);
    }
    return ok({ spec: { kind: "date", isoDate: w }, index });
  }
  for (const [index, w] of clean.entries()) {
    if (w === "today") return ok({ spec: { kind: "today" }, index });
    if (w === "yesterday") return ok({ spec: { kind: "yesterday" }, index });
  }
  for (const [index, w] of clean.entries()) {
    if (!(WEEKDAYS as readonly string[]).includes(w)) continue;
    const cued = index <= 1 || index === clean.length - 1 || WEEKDAY_CUES.has(clean[index - 1] ?? "");
    if (cued) return ok({ spec: { kind: "weekday", weekday: w as Weekday }, index });
  }
  return ok(null);
}

// ---------------------------------------------------------------------------------------------
// <who>

function parseWho(token: Token, usage: string): Parsed<WhoRef> {
  const raw = token.raw;
  const value = token.value.trim();
  if (value === "") return fail(`Say who. ${WHO_HELP}.`, usage);
  const markup = readMarkup(value);
  // A Teams mention arrives quoted (protectTeamsMentions), yet it is markup, not a name.
  if (token.quoted && markup.kind === "text") return nameRef(value, raw, usage);

  switch (markup.kind) {
    case "colleague":
      return fail(
        `${markup.label.startsWith("@") ? markup.label : `@${markup.label}`} is a colleague, and colleagues aren't contacts. ${WHO_HELP}.`,
        usage,
      );
    case "channel":
      return fail(`#${markup.label} is a channel, not a contact. ${WHO_HELP}.`, usage);
    case "email":
      return emailRef(markup.address, raw, usage);
    case "link": {
      const handle = normalizeXHandle(markup.url);
      return handle.ok
        ? ok({ kind: "handle", handle: handle.value, raw: `@${handle.value}` })
        : fail(`${markup.url} is a link, not a contact. ${WHO_HELP}.`, usage);
    }
    case "text":
      break;
  }
  if (value.startsWith("@")) {
    const handle = normalizeAnyHandle(value);
    if (handle === undefined) {
      return fail(
        `"${value}" is not a handle: an X handle is 1–15 letters, digits or _ (like @janedoe); Bluesky and Mastodon handles look like @jane.bsky.social and @jane@mastodon.social.`,
        usage,
      );
    }
    return ok({ kind: "handle", handle, raw: value.replace(/[.,;:!?)\]]+$/, "") });
  }
  if (looksLikeEmail(value)) return emailRef(value, raw, usage);
  if (value.includes("@")) return fail(`"${value}" is neither an X handle nor an email. ${WHO_HELP}.`, usage);
  const xUrl = normalizeXHandle(value);
  if (xUrl.ok && /(?:x|twitter)\.com\//i.test(value)) {
    return ok({ kind: "handle", handle: xUrl.value, raw: `@${xUrl.value}` });
  }
  return nameRef(value, raw, usage);
}

function emailRef(address: string, raw: string, usage: string): Parsed<WhoRef> {
  const email = normalizeEmail(address);
  return email.ok ? ok({ kind: "email", email: email.value, raw }) : fail(`${email.error}.`, usage);
}

function nameRef(name: string, raw: string, usage: string): Parsed<WhoRef> {
  const clean = name.replace(/\s+/g, " ").trim();
  if (clean === "") return fail(`Say who. ${WHO_HELP}.`, usage);
  if (clean.length > MAX_NAME_LENGTH) return fail(`A name is at most ${MAX_NAME_LENGTH} characters.`, usage);
  return ok({ kind: "name", name: clean, raw });
}

/** Subcommands whose only argument is who take the whole rest, so `/contact show Jane Doe` works unquoted. */
function wholeRestAsWho(tokens: readonly Token[], usage: string): Parsed<WhoRef> {
  if (tokens.length === 0) return fail(`Say who. ${WHO_HELP}.`, usage);
  if (tokens.length === 1) return parseWho(tokens[0] as Token, usage);
  const words = tokens.map((t) => t.value);
  if (tokens.some((t) => t.value.startsWith("@") || t.value.startsWith("<") || looksLikeEmail(t.value))) {
    return fail(`Say one contact; for several words put the name in quotes. ${WHO_HELP}.`, usage);
  }
  return nameRef(words.join(" "), tokens.map((t) => t.raw).join(" "), usage);
}

// ---------------------------------------------------------------------------------------------
// /contact add|show|find|tag|owner|cadence

const CONTACT_SUBCOMMANDS = ["add", "show", "find", "tag", "owner", "cadence"] as const;

function parseContact(body: string): Parsed<ChatCommand> {
  const tokens = tokenize(body);
  if (!tokens.ok) return fail(`Could not read that: ${tokens.error}.`, USAGE.contact);
  const [sub, ...args] = tokens.value;
  const subcommand = sub?.value.toLowerCase();
  switch (subcommand) {
    case "add":
      return parseContactAdd(args);
    case "show": {
      const who = wholeRestAsWho(args, USAGE.contactShow);
      return who.ok ? ok({ kind: "contact_show", who: who.value }) : who;
    }
    case "find": {
      const query = args
        .map((t) => t.value)
        .join(" ")
        .trim();
      if (query === "") return fail("Say what to look for.", USAGE.contactFind);
      if (query.length > MAX_NAME_LENGTH) {
        return fail(`Keep the search under ${MAX_NAME_LENGTH} characters.`, USAGE.contactFind);
      }
      return ok({ kind: "contact_find", query });
    }
    case "tag":
      return parseContactTag(args);
    case "owner":
      return parseContactOwner(args);
    case "cadence":
      return parseContactCadence(args);
    case undefined:
      return fail(`Say what to do: ${CONTACT_SUBCOMMANDS.join(", ")}.`, USAGE.contact);
    default:
      return fail(
        `"${sub?.value}" is not something /contact does; use ${CONTACT_SUBCOMMANDS.join(", ")}.`,
        USAGE.contact,
      );
  }
}

const FIELD = /^([a-z_]+):([\s\S]*)$/i;
const ADD_FIELDS = ["segment", "owner", "cadence", "tags", "tag", "x", "email"] as const;

function parseContactAdd(args: readonly Token[]): Parsed<ContactAddCommand> {
  const usage = USAGE.contactAdd;
  const nameWords: string[] = [];
  let x: string | undefined;
  let email: string | undefined;
  let segment: string | null = null;
  let owner: OwnerRef | null = null;
  let cadenceDays: number | null = null;
  const tags: string[] = [];

  const setX = (value: string): Parsed<void> => {
    const handle = normalizeXHandle(value);
    if (!handle.ok) return fail(`${handle.error}.`, usage);
    if (x !== undefined && x !== handle.value) return fail("Give one X handle per contact.", usage);
    x = handle.value;
    return ok();
  };
  const setEmail = (value: string): Parsed<void> => {
    const address = normalizeEmail(value);
    if (!address.ok) return fail(`${address.error}.`, usage);
    if (email !== undefined && email !== address.value) return fail("Give one email per contact.", usage);
    email = address.value;
    return ok();
  };

  for (const token of args) {
    const value = token.value.trim();
    if (value === "") continue;
    const markup = readMarkup(value);
    let step: Parsed<void> = ok();
    const field = token.quoted && !token.raw.includes(":") ? null : FIELD.exec(value);
    if (markup.kind === "email") {
      step = setEmail(markup.address);
    } else if (markup.kind === "link") {
      step = setX(markup.url);
    } else if (markup.kind === "colleague" || markup.kind === "channel") {
      return fail(`${value} can't be part of a contact; to set the owner write owner:${value}.`, usage);
    } else if (!token.quoted && value.startsWith("@")) {
      step = setX(value);
    } else if (!token.quoted && looksLikeEmail(value)) {
      step = setEmail(value);
    } else if (field && !/^https?$/i.test(field[1] ?? "")) {
      const key = (field[1] ?? "").toLowerCase();
      const fieldValue = (field[2] ?? "").trim();
      switch (key as (typeof ADD_FIELDS)[number]) {
        case "segment":
          segment = normalizeSegment(fieldValue);
          if (segment === null) return fail("segment: needs a value, like segment:donor.", usage);
          break;
        case "owner": {
          const parsed = parseOwner(fieldValue, usage);
          if (!parsed.ok) return parsed;
          owner = parsed.value;
          break;
        }
        case "cadence": {
          const days = parseCadence(fieldValue, usage);
          if (!days.ok) return days;
          cadenceDays = days.value;
          break;
        }
        case "tags":
        case "tag":
          tags.push(...parseTagList(fieldValue));
          break;
        case "x":
          step = setX(fieldValue);
          break;
        case "email":
          step = setEmail(fieldValue);
          break;
        default:
          return fail(`"${key}:" is not a contact field; use ${ADD_FIELDS.map((f) => `${f}:`).join(", ")}.`, usage);
      }
    } else {
      nameWords.push(value);
    }
    if (!step.ok) return step;
  }

  const name = nameWords.join(" ").replace(/\s+/g, " ").trim();
  if (name === "") return fail("Say the contact's name.", usage);
  if (name.length > MAX_NAME_LENGTH) return fail(`A name is at most ${MAX_NAME_LENGTH} characters.`, usage);
  const identities: Identity[] = [];
  if (x !== undefined) identities.push({ platform: "x", handle: x, externalUserId: null });
  if (email !== undefined) identities.push({ platform: "email", handle: email, externalUserId: null });
  return ok({ kind: "contact_add", name, identities, segment, owner, cadenceDays, tags: [...new Set(tags)] });
}

function parseContactTag(args: readonly Token[]): Parsed<ChatCommand> {
  const usage = USAGE.contactTag;
  const [first, ...rest] = args;
  if (first === undefined) return fail(`Say who to tag. ${WHO_HELP}.`, usage);
  const who = parseWho(first, usage);
  if (!who.ok) return who;
  const add: string[] = [];
  const remove: string[] = [];
  for (const token of rest) {
    const removing = token.value.startsWith("-");
    const tag = normalizeTag(token.value.replace(/^[-+]/, ""));
    if (tag === "") continue;
    if (tag.length > 50) return fail(`A tag is at most 50 characters; "${tag.slice(0, 20)}…" is longer.`, usage);
    (removing ? remove : add).push(tag);
  }
  if (add.length === 0 && remove.length === 0) return fail("Say which tags to add (or -tag to remove).", usage);
  return ok({ kind: "contact_tag", who: who.value, add: [...new Set(add)], remove: [...new Set(remove)] });
}

function parseContactOwner(args: readonly Token[]): Parsed<ChatCommand> {
  const usage = USAGE.contactOwner;
  if (args.length !== 2) {
    return fail(
      args.length < 2
        ? "Say whose owner to set and who owns them."
        : "Say one contact and one owner; put a name of several words in quotes.",
      usage,
    );
  }
  const who = parseWho(args[0] as Token, usage);
  if (!who.ok) return who;
  const owner = parseOwner((args[1] as Token).value, usage);
  return owner.ok ? ok({ kind: "contact_owner", who: who.value, owner: owner.value }) : owner;
}

function parseOwner(value: string, usage: string): Parsed<OwnerRef> {
  const trimmed = value.trim();
  const lower = trimmed.toLowerCase();
  if (lower === "me") return ok({ kind: "me" });
  if (lower === "none" || lower === "nobody") return ok({ kind: "none" });
  const markup = readMarkup(trimmed);
  if (markup.kind === "colleague") {
    return markup.userId !== null
      ? ok({ kind: "member", userId: markup.userId })
      : ok({ kind: "text", value: markup.label });
  }
  if (trimmed === "" || trimmed.length > MAX_NAME_LENGTH) {
    return fail("Say who owns the relationship: @colleague, me or none.", usage);
  }
  return ok({ kind: "text", value: trimmed });
}

function parseContactCadence(args: readonly Token[]): Parsed<ChatCommand> {
  const usage = USAGE.contactCadence;
  if (args.length !== 2) {
    return fail(
      args.length < 2
        ? "Say whose cadence to set and how many days."
        : "Say one contact and a number of days; put a name of several words in quotes.",
      usage,
    );
  }
  const who = parseWho(args[0] as Token, usage);
  if (!who.ok) return who;
  const value = (args[1] as Token).value.trim().toLowerCase();
  if (value === "default" || value === "none")
    return ok({ kind: "contact_cadence", who: who.value, cadenceDays: null });
  const days = parseCadence(value, usage);
  return days.ok ? ok({ kind: "contact_cadence", who: who.value, cadenceDays: days.value }) : days;
}

function parseCadence(value: string, usage: string): Parsed<number> {
  const match = /^(\d{1,5})(d|days?)?$/i.exec(value.trim());
  const days = match ? Number(match[1]) : Number.NaN;
  if (!isValidCadence(days)) {
    return fail(`"${value}" is not a cadence; use a whole number of days from 1 to ${MAX_CADENCE_DAYS}.`, usage);
  }
  return ok(days);
}

// ---------------------------------------------------------------------------------------------
// /touchpoint help|settings|connect-x|import

function parseTouchpoint(body: string): Parsed<ChatCommand> {
  const [sub, ...rest] = body.split(/\s+/).filter((w) => w !== "");
  switch (sub?.toLowerCase()) {
    case undefined:
    case "help":
      return ok({ kind: "help", topic: rest.length > 0 ? rest.join(" ").toLowerCase().replace(/^\//, "") : null });
    case "settings":
      return ok({ kind: "settings" });
    case "connect-x":
      return ok({ kind: "connect_x" });
    case "import":
      return ok({ kind: "import" });
    default:
      return fail(
        `"${sub}" is not something /touchpoint does; use help, settings, connect-x or import.`,
        USAGE.touchpoint,
      );
  }
}
