import {
  channelLabel,
  type Digest,
  type DigestContact,
  type DigestPost,
  describeAge,
  describeDay,
  describeReach,
  describeSkippedBots,
  describeStats,
  NUDGE_KINDS,
  type NudgeAction,
  type NudgeRef,
  nudgeItemKey,
} from "@touchpoint/core";
import {
  NUDGE_ADD_CONTACT,
  NUDGE_ASSIGN,
  NUDGE_LOG_TOUCH,
  NUDGE_REPLIED,
  NUDGE_SNOOZE_DAY,
  NUDGE_SNOOZE_WEEK,
} from "../listeners/actions/action-ids.js";
import { owner } from "./contact.js";
import {
  actions,
  type Block,
  button,
  context,
  escapeMrkdwn,
  link,
  message,
  quoteNote,
  type SlackMessage,
  section,
  truncate,
  userMention,
} from "./text.js";

/** Names are cut short so a long one never pushes the post it introduces out of its section. */
const NAME_MAX = 100;

function person(contact: DigestContact): string {
  const parts = [`*${escapeMrkdwn(truncate(contact.name, NAME_MAX))}*`];
  if (contact.segment) parts.push(escapeMrkdwn(truncate(contact.segment, NAME_MAX)));
  const owned = owner(contact);
  if (owned) parts.push(`owner ${owned}`);
  return parts.join(" · ");
}

/** Who wrote it, linked to the post on X, and how long ago. */
function postedBy(post: DigestPost): string {
  return `${link(post.url, `@${post.authorHandle}`)} · ${describeAge(post.ageHours)} ago`;
}

/** What a nudge's mention button carries: the mention, and the day's nudge it was pressed on. */
export interface NudgeButtonValue extends NudgeRef {
  readonly mentionId: string;
}

/** A nudge button's value read back: whatever Slack returns, an object (fields checked by the caller). */
export function buttonValue<T>(value: string | undefined): Partial<T> {
  try {
    const parsed: unknown = JSON.parse(value ?? "");
    return parsed !== null && typeof parsed === "object" ? (parsed as Partial<T>) : {};
  } catch {
    return {};
  }
}

/** The nudge a button or modal names, read back from what Slack returns (whatever it holds). */
export function nudgeRefOf(value: Partial<Record<keyof NudgeRef, unknown>>): NudgeRef | undefined {
  if (typeof value.localDate !== "string") return undefined;
  const kind = NUDGE_KINDS.find((k) => k === value.kind) ?? "daily";
  return { localDate: value.localDate, kind, owner: typeof value.owner === "string" ? value.owner : null };
}

/** What Log touch carries: the contact (its name for the modal), and the day's nudge. */
export interface NudgeContactValue extends NudgeRef {
  readonly contactId: string;
  readonly name: string;
}

const DONE: Record<NudgeAction["kind"], string> = {
  replied: "marked it replied",
  snoozed: "snoozed it",
  assigned: "took it",
  touched: "logged a touch",
  added: "added them as a contact",
};

/** What someone did with an item, shown in place of its buttons. */
function doneLine(done: NudgeAction): Block {
  const who = done.by ? `${userMention(done.by)} ` : "";
  return context(`:white_check_mark: ${who}${DONE[done.kind]}${done.detail ? ` ${escapeMrkdwn(done.detail)}` : ""}`);
}

/** A mention's buttons (a new voice's also Add as contact), or what was done with them. */
function mentionControls(
  post: DigestPost,
  nudge: NudgeRef,
  done: NudgeAction | undefined,
  options: { readonly assignee: string | null; readonly stranger: boolean },
): Block {
  if (done) return doneLine(done);
  const value = JSON.stringify({ mentionId: post.mentionId, ...nudge } satisfies NudgeButtonValue);
  return actions([
    button(NUDGE_REPLIED, "Mark replied", value, "primary"),
    button(NUDGE_SNOOZE_DAY, "Snooze a day", value),
    button(NUDGE_SNOOZE_WEEK, "Snooze a week", value),
    ...(options.assignee === null ? [button(NUDGE_ASSIGN, "Assign to me", value)] : []),
    ...(options.stranger ? [button(NUDGE_ADD_CONTACT, "Add as contact", value)] : []),
  ]);
}

/** A going-cold contact's Log touch, or what was done with it. */
function contactControls(contact: DigestContact, nudge: NudgeRef, done: NudgeAction | undefined): Block {
  if (done) return doneLine(done);
  const value = JSON.stringify({
    contactId: contact.id,
    name: truncate(contact.name, NAME_MAX),
    ...nudge,
  } satisfies NudgeContactValue);
  return actions([button(NUDGE_LOG_TOUCH, "Log touch", value, "primary")]);
}

function more(shown: number, total: number): Block[] {
  return total > shown ? [context(`and ${total - shown} more`)] : [];
}

/**
 * The daily nudge in Block Kit: a header, then one section per item so a long post never pushes
 * another past Slack's 3,000 characters. With `buttons`, each mention has Mark replied, Snooze and
 * Assign to me under it, or what someone did with them (`actions`). At most 5 + 5 + 3 items, two
 * blocks each, and a few headings: under 50 blocks, whatever the day holds.
 */
export function digestMessage(
  digest: Digest,
  options: { readonly buttons?: boolean; readonly actions?: Readonly<Record<string, NudgeAction>> } = {},
): SlackMessage {
  const done = (key: string) => options.actions?.[key];
  const nudge: NudgeRef = { localDate: digest.localDate, kind: digest.kind, owner: digest.owner };
  const controls = (post: DigestPost, assignee: string | null, stranger = false): Block[] =>
    options.buttons ? [mentionControls(post, nudge, done(nudgeItemKey(post)), { assignee, stranger })] : [];
  const { waiting, goingCold, newVoices, skippedBots, stats } = digest;
  const blocks: Block[] = [
    {
      type: "header",
      text: {
        type: "plain_text",
        text: (digest.kind === "welcome"
          ? `Here is what you missed this week, ${digest.organization}`
          : digest.owner
            ? `Good morning — your contacts at ${digest.organization}, ${digest.dayLabel}`
            : `Good morning, ${digest.organization} — ${digest.dayLabel}`
        ).slice(0, 150),
      },
    },
  ];
  if (digest.empty) {
    blocks.push(section(":tada: All caught up: nobody is waiting for a reply and no relationship is going cold."));
  }
  if (waiting.total > 0) {
    blocks.push(section(`*Waiting for a reply* (${waiting.total})`));
    for (const item of waiting.items) {
      const assigned = item.assignee ? ` · assigned to ${userMention(item.assignee)}` : "";
      blocks.push(
        section(`• ${person(item.contact)} · ${postedBy(item.post)}${assigned}\n${quoteNote(item.post.text)}`),
        ...controls(item.post, item.assignee),
      );
    }
    blocks.push(...more(waiting.items.length, waiting.total));
  }
  if (goingCold.total > 0) {
    blocks.push(section(`*Going cold* (${goingCold.total})`));
    for (const item of goingCold.items) {
      const last = item.lastTouch
        ? `\nlast: ${channelLabel(item.lastTouch.channel)} ${describeDay(item.lastTouch.occurredAt, digest.asOf, digest.timeZone)}${quoteNote(item.lastTouch.note, 120)}`
        : "";
      blocks.push(section(`• ${person(item.contact)} · ${escapeMrkdwn(item.reason)}${last}`));
      if (options.buttons) {
        const key = nudgeItemKey({ contactId: item.contact.id });
        blocks.push(contactControls(item.contact, nudge, done(key)));
      }
    }
    blocks.push(...more(goingCold.items.length, goingCold.total));
  }
  if (newVoices.total > 0) {
    blocks.push(section(`*New voices* (${newVoices.total})`));
    for (const item of newVoices.items) {
      const name = item.post.authorName ? `*${escapeMrkdwn(truncate(item.post.authorName, NAME_MAX))}* · ` : "";
      blocks.push(
        section(`• ${name}${postedBy(item.post)} · ${describeReach(item.followers)}\n${quoteNote(item.post.text)}`),
        ...controls(item.post, null, true),
      );
    }
    blocks.push(...more(newVoices.items.length, newVoices.total));
  }
  const bots = describeSkippedBots(skippedBots);
  if (bots) blocks.push(context(`Skipped ${escapeMrkdwn(truncate(bots, 500))}`));
  blocks.push({ type: "divider" }, context(`*Yesterday* ${describeStats(stats)}`));
  const summary = digest.empty
    ? `${digest.organization}: all caught up`
    : `${waiting.total} waiting for a reply, ${goingCold.total} going cold, ${newVoices.total} new voices`;
  return message(summary, blocks);
}
