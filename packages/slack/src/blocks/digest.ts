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
} from "@touchpoint/core";
import { owner } from "./contact.js";
import {
  type Block,
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

function more(shown: number, total: number): Block[] {
  return total > shown ? [context(`and ${total - shown} more`)] : [];
}

/**
 * The daily nudge in Block Kit: a header, then one section per item so a long post never pushes
 * another past Slack's 3,000 characters. At most 5 + 5 + 3 items and a few headings: far under 50
 * blocks, whatever the day holds.
 */
export function digestMessage(digest: Digest): SlackMessage {
  const { waiting, goingCold, newVoices, skippedBots, stats } = digest;
  const blocks: Block[] = [
    {
      type: "header",
      text: { type: "plain_text", text: `Good morning, ${digest.organization} — ${digest.dayLabel}`.slice(0, 150) },
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
    }
    blocks.push(...more(goingCold.items.length, goingCold.total));
  }
  if (newVoices.total > 0) {
    blocks.push(section(`*New voices* (${newVoices.total})`));
    for (const item of newVoices.items) {
      const name = item.post.authorName ? `*${escapeMrkdwn(truncate(item.post.authorName, NAME_MAX))}* · ` : "";
      blocks.push(
        section(`• ${name}${postedBy(item.post)} · ${describeReach(item.followers)}\n${quoteNote(item.post.text)}`),
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
