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
  NUDGE_ADD_CONTACT,
  NUDGE_ASSIGN,
  NUDGE_KINDS,
  NUDGE_LOG_TOUCH,
  NUDGE_REPLIED,
  NUDGE_SNOOZE_DAY,
  NUDGE_SNOOZE_WEEK,
  type NudgeAction,
  type NudgeButton,
  type NudgeRef,
  nudgeItemKey,
} from "@touchpoint/core";
import {
  type AdaptiveCard,
  actionSet,
  CARD_BUDGET_BYTES,
  type CardElement,
  card,
  container,
  linkRun,
  messageBytes,
  oneLine,
  richText,
  run,
  type SubmitAction,
  submit,
  type TextRun,
  text,
  textInput,
  truncate,
} from "./card.js";

/**
 * What a nudge button carries (it comes back as the activity's `value`): the day's nudge (the
 * card-level tenant_id and local_date, and which view of it), and the item, keyed as core keys
 * what was done with it (`mention:<id>`, `contact:<id>`); Log touch also the contact's name.
 */
export interface NudgeButtonData {
  readonly action: NudgeButton;
  readonly tenant_id: string;
  readonly local_date: string;
  readonly kind: NudgeRef["kind"];
  /** Only on an owner's own view. */
  readonly owner?: string;
  readonly item: string;
  readonly name?: string;
}

/**
 * The card-level copy of the nudge it is: hidden inputs, one per value. An Adaptive Card 1.5 has
 * no free-form field of its own (`metadata` came in 1.6; Teams' `msteams` is outside the schema),
 * and an Action.Submit merges every input of its card into what it sends back, so whichever
 * button is pressed, the value carries tenant_id and local_date from the card itself, beside the
 * same two in the button's own data. An empty nudge, with no buttons, still carries them.
 */
export const DIGEST_FIELDS = ["tenant_id", "local_date"] as const;

/**
 * The delivery a posted card belongs to, in a hidden input beside DIGEST_FIELDS: what the sender
 * looks for in a conversation's recent messages (through Microsoft Graph) before posting again.
 */
export const DELIVERY_FIELD = "delivery_id";

/** A nudge button's data read back from an activity's `value` (whatever it holds), or undefined. */
export function nudgeButtonOf(
  value: unknown,
): (NudgeRef & { tenantId: string; item: string; name?: string }) | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.tenant_id !== "string" || typeof v.local_date !== "string" || typeof v.item !== "string") {
    return undefined;
  }
  return {
    tenantId: v.tenant_id,
    localDate: v.local_date,
    kind: NUDGE_KINDS.find((k) => k === v.kind) ?? "daily",
    owner: typeof v.owner === "string" ? v.owner : null,
    item: v.item,
    ...(typeof v.name === "string" && { name: v.name }),
  };
}

/** Names are cut short so a long one never pushes the post it introduces off the screen. */
const NAME_MAX = 100;
/** A post or note quoted under its line, as Slack's nudge quotes it. */
const QUOTE_MAX = 300;
const LAST_NOTE_MAX = 120;
const BOTS_MAX = 500;

export interface DigestCardOptions {
  /** Buttons under every item, or what someone did with them (`actions`); without, the nudge alone. */
  readonly buttons?: boolean;
  /** The delivery this card is posted for (DELIVERY_FIELD), when it is posted by the sender. */
  readonly deliveryId?: string;
  readonly actions?: Readonly<Record<string, NudgeAction>>;
  /** A person's name for a platform user id (an owner, an assignee, whoever pressed); else the id as stored. */
  readonly nameOf?: (userId: string) => string | undefined;
}

const DONE: Record<NudgeAction["kind"], string> = {
  replied: "marked it replied",
  snoozed: "snoozed it",
  assigned: "took it",
  touched: "logged a touch",
  added: "added them as a contact",
};

function plain(value: string, max = NAME_MAX): string {
  return truncate(oneLine(value), max);
}

function quote(value: string | null, max: number): string {
  const line = value ? oneLine(value) : "";
  return line ? `“${truncate(line, max)}”` : "";
}

/** How many of each list are shown: the digest's own, or fewer when the card would not fit. */
interface Shown {
  waiting: number;
  goingCold: number;
  newVoices: number;
}

function render(digest: Digest, options: DigestCardOptions, shown: Shown): AdaptiveCard {
  const who = (userId: string) => plain(options.nameOf?.(userId) ?? userId);
  const nudge = {
    tenant_id: digest.tenantId,
    local_date: digest.localDate,
    kind: digest.kind,
    ...(digest.owner !== null && { owner: digest.owner }),
  };
  const button = (title: string, action: NudgeButton, item: string, extra: { name?: string } = {}): SubmitAction =>
    submit(title, { action, ...nudge, item, ...extra } satisfies NudgeButtonData);

  function doneLine(done: NudgeAction): CardElement {
    const by = done.by ? `${who(done.by)} ` : "";
    const detail = done.detail ? ` ${plain(done.detail, 200)}` : "";
    return richText([run(`✅ ${by}${DONE[done.kind]}${detail}`, { isSubtle: true })], { spacing: "Small" });
  }

  function mentionControls(post: DigestPost, assignee: string | null, stranger: boolean): CardElement[] {
    if (!options.buttons) return [];
    const item = nudgeItemKey(post);
    const done = options.actions?.[item];
    if (done) return [doneLine(done)];
    return [
      actionSet(
        [
          { ...button("Mark replied", NUDGE_REPLIED, item), style: "positive" },
          button("Snooze a day", NUDGE_SNOOZE_DAY, item),
          button("Snooze a week", NUDGE_SNOOZE_WEEK, item),
          ...(assignee === null ? [button("Assign to me", NUDGE_ASSIGN, item)] : []),
          ...(stranger ? [button("Add as contact", NUDGE_ADD_CONTACT, item)] : []),
        ],
        { spacing: "Small" },
      ),
    ];
  }

  function contactControls(contact: DigestContact): CardElement[] {
    if (!options.buttons) return [];
    const item = nudgeItemKey({ contactId: contact.id });
    const done = options.actions?.[item];
    if (done) return [doneLine(done)];
    const name = truncate(contact.name, NAME_MAX);
    return [
      actionSet([{ ...button("Log touch", NUDGE_LOG_TOUCH, item, { name }), style: "positive" }], { spacing: "Small" }),
    ];
  }

  function person(contact: DigestContact): TextRun[] {
    const runs = [run(plain(contact.name), { weight: "Bolder" })];
    if (contact.segment) runs.push(run(` · ${plain(contact.segment)}`));
    if (contact.owner) runs.push(run(` · owner ${who(contact.owner)}`));
    return runs;
  }

  /** Who wrote it, linked to the post on X, and how long ago. */
  function postedBy(post: DigestPost): TextRun[] {
    return [linkRun(`@${plain(post.authorHandle)}`, post.url), run(` · ${describeAge(post.ageHours)} ago`)];
  }

  /** An item: its line, what it quotes, and its buttons (or what was done with them). */
  function item(line: TextRun[], quoted: string, controls: CardElement[]): CardElement {
    return container(
      [
        richText([run("• "), ...line]),
        ...(quoted ? [richText([run(quoted, { italic: true })], { spacing: "None" })] : []),
        ...controls,
      ],
      { spacing: "Medium" },
    );
  }

  const sectionTitle = (title: string, total: number) =>
    text(`${title} (${total})`, { weight: "Bolder", spacing: "Large" });
  const more = (count: number, total: number): CardElement[] =>
    total > count ? [text(`and ${total - count} more`, { isSubtle: true, spacing: "Small" })] : [];

  const { waiting, goingCold, newVoices, skippedBots, stats } = digest;
  const headline = (
    digest.kind === "welcome"
      ? `Here is what you missed this week, ${oneLine(digest.organization)}`
      : digest.owner
        ? `Good morning — your contacts at ${oneLine(digest.organization)}, ${digest.dayLabel}`
        : `Good morning, ${oneLine(digest.organization)} — ${digest.dayLabel}`
  ).slice(0, 150);

  const body: CardElement[] = [
    ...DIGEST_FIELDS.map((id) =>
      textInput({ id, value: id === "tenant_id" ? digest.tenantId : digest.localDate, isVisible: false }),
    ),
    ...(options.deliveryId === undefined
      ? []
      : [textInput({ id: DELIVERY_FIELD, value: options.deliveryId, isVisible: false })]),
    richText([run(headline, { weight: "Bolder", size: "Medium" })]),
  ];
  if (digest.empty) {
    body.push(text("🎉 All caught up: nobody is waiting for a reply and no relationship is going cold."));
  }
  if (waiting.total > 0) {
    body.push(sectionTitle("Waiting for a reply", waiting.total));
    const items = waiting.items.slice(0, shown.waiting);
    for (const { post, contact, assignee } of items) {
      const assigned = assignee ? [run(` · assigned to ${who(assignee)}`)] : [];
      body.push(
        item(
          [...person(contact), run(" · "), ...postedBy(post), ...assigned],
          quote(post.text, QUOTE_MAX),
          mentionControls(post, assignee, false),
        ),
      );
    }
    body.push(...more(items.length, waiting.total));
  }
  if (goingCold.total > 0) {
    body.push(sectionTitle("Going cold", goingCold.total));
    const items = goingCold.items.slice(0, shown.goingCold);
    for (const cold of items) {
      const last = cold.lastTouch
        ? [
            `last: ${channelLabel(cold.lastTouch.channel)}`,
            describeDay(cold.lastTouch.occurredAt, digest.asOf, digest.timeZone),
            quote(cold.lastTouch.note, LAST_NOTE_MAX),
          ]
            .filter(Boolean)
            .join(" ")
        : "";
      body.push(
        container(
          [
            richText([run("• "), ...person(cold.contact), run(` · ${plain(cold.reason, 200)}`)]),
            ...(last ? [richText([run(last, { isSubtle: true })], { spacing: "None" })] : []),
            ...contactControls(cold.contact),
          ],
          { spacing: "Medium" },
        ),
      );
    }
    body.push(...more(items.length, goingCold.total));
  }
  if (newVoices.total > 0) {
    body.push(sectionTitle("New voices", newVoices.total));
    const items = newVoices.items.slice(0, shown.newVoices);
    for (const voice of items) {
      const name = voice.post.authorName ? [run(plain(voice.post.authorName), { weight: "Bolder" }), run(" · ")] : [];
      body.push(
        item(
          [...name, ...postedBy(voice.post), run(` · ${describeReach(voice.followers)}`)],
          quote(voice.post.text, QUOTE_MAX),
          mentionControls(voice.post, null, true),
        ),
      );
    }
    body.push(...more(items.length, newVoices.total));
  }
  const bots = describeSkippedBots(skippedBots);
  if (bots) body.push(richText([run(`Skipped ${plain(bots, BOTS_MAX)}`, { isSubtle: true })], { spacing: "Medium" }));
  body.push(richText([run("Yesterday ", { weight: "Bolder" }), run(describeStats(stats))], { separator: true }));

  const summary = digest.empty
    ? `${oneLine(digest.organization)}: all caught up`
    : `${waiting.total} waiting for a reply, ${goingCold.total} going cold, ${newVoices.total} new voices`;
  return card(summary, body);
}

/**
 * The daily nudge as an Adaptive Card 1.5: the same content, in the same order, as Slack's
 * (`digestMessage`): a headline, who is waiting for a reply (each post's age and link), who is
 * going cold (and why), new voices (likely bots set aside, with why), "and N more" under each
 * list, and yesterday's figures. With `buttons`, each item has its Action.Submit buttons under it,
 * or what someone did with them. Text anyone else wrote (posts, names, notes) is in TextRuns,
 * which Teams never reads as markdown. The lists are core's (at most 5 + 5 + 3) and every text is
 * cut short; should a card still not fit a Teams message, the last items of the longest list give
 * way to "and N more" until it does.
 */
export function digestCard(digest: Digest, options: DigestCardOptions = {}): AdaptiveCard {
  const shown: Shown = {
    waiting: digest.waiting.items.length,
    goingCold: digest.goingCold.items.length,
    newVoices: digest.newVoices.items.length,
  };
  for (;;) {
    const rendered = render(digest, options, shown);
    if (messageBytes(rendered) <= CARD_BUDGET_BYTES) return rendered;
    // The latest (least urgent) list first when two are as long.
    const longest = (["newVoices", "goingCold", "waiting"] as const).reduce((a, b) => (shown[b] > shown[a] ? b : a));
    if (shown[longest] === 0) return rendered;
    shown[longest] -= 1;
  }
}
