import type { types } from "@slack/bolt";
import {
  channelLabel,
  DEFAULT_CADENCE_BY_SEGMENT,
  describeDay,
  HAND_LOGGED_CHANNELS,
  type Mention,
  type OpenMentions,
  type RelationshipOverview,
  type SettingsView,
  type SocialAccount,
  type TouchChannel,
} from "@touchpoint/core";
import { EDIT_SETTINGS } from "../listeners/actions/action-ids.js";
import {
  CONNECT_X_VIEW,
  CREATE_CONTACT_VIEW,
  NUDGE_CONTACT_VIEW,
  NUDGE_TOUCH_VIEW,
  SETTINGS_VIEW,
} from "../listeners/views/callback-ids.js";
import { actions, button, context, escapeMrkdwn, LIMITS, link, quoteNote, section, truncate } from "./text.js";

type Input = types.InputBlock;

function input(blockId: string, label: string, element: Input["element"], optional = false, hint?: string): Input {
  return {
    type: "input",
    block_id: blockId,
    label: { type: "plain_text", text: label },
    element,
    optional,
    ...(hint && { hint: { type: "plain_text", text: hint } }),
  };
}

/** A modal's frame: its callback id, title, buttons and blocks (cut to Slack's limit). */
function modal(view: {
  readonly callbackId: string;
  readonly title: string;
  readonly submit?: string;
  readonly close: string;
  readonly privateMetadata?: string;
  readonly blocks: types.KnownBlock[];
}): types.ModalView {
  return {
    type: "modal",
    callback_id: view.callbackId,
    ...(view.privateMetadata !== undefined && { private_metadata: view.privateMetadata }),
    title: { type: "plain_text", text: view.title },
    ...(view.submit && { submit: { type: "plain_text", text: view.submit } }),
    close: { type: "plain_text", text: view.close },
    blocks: view.blocks.slice(0, LIMITS.viewBlocks),
  };
}

function textInput(actionId: string, initial: string | null | undefined, placeholder?: string): Input["element"] {
  return {
    type: "plain_text_input",
    action_id: actionId,
    ...(initial ? { initial_value: truncate(initial, 3000) } : {}),
    ...(placeholder && { placeholder: { type: "plain_text", text: placeholder } }),
  };
}

/** What "Create contact" prefills from the typed who: a name, an @handle or an email. */
export interface ContactDraft {
  readonly name?: string;
  readonly xHandle?: string;
  readonly email?: string;
}

export function createContactModal(draft: ContactDraft, privateMetadata: string): types.ModalView {
  return modal({
    callbackId: CREATE_CONTACT_VIEW,
    privateMetadata,
    title: "New contact",
    submit: "Create and log",
    close: "Cancel",
    blocks: [
      input("name", "Name", textInput("value", draft.name, "Jane Doe")),
      input("x_handle", "X handle", textInput("value", draft.xHandle && `@${draft.xHandle}`, "@janedoe"), true),
      input("email", "Email", textInput("value", draft.email, "jane@example.org"), true),
      input("segment", "Segment", textInput("value", null, "major donor, board, influencer…"), true),
      context("The touch you typed is logged with the new contact when you press Create and log."),
    ],
  });
}

const SEGMENTS = Object.keys(DEFAULT_CADENCE_BY_SEGMENT);

/** Admins' settings: nudge channel, time, time zone, cadence per segment, admins. */
export function settingsModal(settings: SettingsView): types.ModalView {
  const { tenant } = settings;
  const cadence = (segment: string) => tenant.settings.cadenceBySegment[segment] ?? DEFAULT_CADENCE_BY_SEGMENT[segment];
  return modal({
    callbackId: SETTINGS_VIEW,
    title: "Touchpoint settings",
    submit: "Save",
    close: "Cancel",
    blocks: [
      input(
        "channel",
        "Daily nudge channel",
        {
          type: "conversations_select",
          action_id: "value",
          ...(tenant.nudgeChannel ? { initial_conversation: tenant.nudgeChannel } : {}),
          filter: { include: ["public", "private"], exclude_bot_users: true },
        },
        true,
        "Invite @Touchpoint to a private channel first.",
      ),
      input("time", "Nudge time", { type: "timepicker", action_id: "value", initial_time: tenant.nudgeTime }),
      input(
        "time_zone",
        "Time zone",
        textInput("value", tenant.timeZone, "America/New_York"),
        false,
        "A place name from the IANA list, like America/New_York or Europe/London.",
      ),
      ...SEGMENTS.map((segment) =>
        input(`cadence:${segment}`, `Days between touches: ${segment}`, {
          type: "number_input",
          action_id: "value",
          is_decimal_allowed: false,
          min_value: "1",
          max_value: "3650",
          initial_value: String(cadence(segment)),
        }),
      ),
      input("admins", "Touchpoint admins", {
        type: "multi_users_select",
        action_id: "value",
        initial_users: settings.admins.map((a) => a.platformUserId),
      }),
    ],
  });
}

/** The connect-x modal: the organization's handle and an app bearer token, checked with X on submit. */
export function connectXModal(current: SocialAccount | undefined): types.ModalView {
  return modal({
    callbackId: CONNECT_X_VIEW,
    title: "Connect X",
    submit: "Connect",
    close: "Cancel",
    blocks: [
      ...(current
        ? [
            context(
              current.status === "active"
                ? `Connected now: *@${escapeMrkdwn(current.handle)}*. Connecting again replaces its token.`
                : `*@${escapeMrkdwn(current.handle)}* is paused: X refused its token. Connect it again with a new one.`,
            ),
          ]
        : []),
      input(
        "handle",
        "Your organization's X handle",
        textInput("value", current ? `@${current.handle}` : null, "@riversidefood"),
      ),
      input(
        "token",
        "App bearer token",
        textInput("value", null, "AAAAAAAAAAAAAAAAAAAAA…"),
        false,
        "From the X developer portal: your app's Keys and tokens page. It is checked with X, then stored encrypted.",
      ),
    ],
  });
}

/** What the connect-x modal turns into once X has confirmed the account. */
export function connectedXView(account: SocialAccount, tenantName: string): types.ModalView {
  return modal({
    callbackId: CONNECT_X_VIEW,
    title: "Connect X",
    close: "Done",
    blocks: [
      section(
        `:white_check_mark: Connected *@${escapeMrkdwn(account.handle)}* to ${escapeMrkdwn(tenantName)}. The last week of mentions is read at the next poll, then new ones as they come.`,
      ),
    ],
  });
}

/** "• <url|@jane> (Jane Doe) · Tuesday: “text”": who, when, and what they said, linked to the post. */
function mentionLine(
  mention: Mention,
  now: Date,
  timeZone: string,
  relationships: RelationshipOverview["relationships"],
): string {
  const contact = relationships.find((r) => r.contact.id === mention.contactId)?.contact;
  const who = link(mention.url, `@${mention.author.handle}`);
  const name = contact ? ` (${escapeMrkdwn(contact.name)})` : "";
  return `• ${who}${name} · ${describeDay(mention.postedAt, now, timeZone)}:${quoteNote(mention.text, 200)}`;
}

/** How many contacts and mentions the Home tab lists before "and N more". */
export const HOME_LIMIT = 10;

/** The App Home tab: each person's own contacts going cold and open mentions, and the settings for admins. */
export function homeView(input: {
  readonly userId: string;
  readonly settings: SettingsView;
  readonly overview: RelationshipOverview;
  readonly mentions: OpenMentions;
  readonly now: Date;
}): types.HomeView {
  const { tenant } = input.settings;
  const mine = input.overview.relationships.filter(
    (r) => r.contact.owner === input.userId && (r.status === "overdue" || r.status === "due"),
  );
  const blocks: types.KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: truncate(`Touchpoint · ${tenant.name}`, 150) } },
    section("*Your contacts going cold*"),
    mine.length === 0
      ? context("None of the contacts you own is due a touch. Own one with `/contact owner @jane me`.")
      : section(
          mine
            .slice(0, HOME_LIMIT)
            .map(
              (r) =>
                `• *${escapeMrkdwn(r.contact.name)}* · ${r.daysSince} days since the last touch (cadence ${r.cadenceDays})`,
            )
            .join("\n"),
        ),
    ...(mine.length > HOME_LIMIT ? [context(`and ${mine.length - HOME_LIMIT} more`)] : []),
    section("*Mentions waiting for your reply*"),
    // One section each: a long post cut at Slack's limit never breaks another line's link.
    ...(input.mentions.mentions.length === 0
      ? [context("No open mentions assigned to you or from contacts you own.")]
      : input.mentions.mentions.map((m) =>
          section(mentionLine(m, input.now, tenant.timeZone, input.overview.relationships)),
        )),
    ...(input.mentions.more ? [context("and more in the daily nudge")] : []),
    { type: "divider" },
    section(
      `*Settings*\nDaily nudge at *${tenant.nudgeTime}* (${escapeMrkdwn(tenant.timeZone)}) in ${tenant.nudgeChannel ? `<#${tenant.nudgeChannel}>` : "_no channel yet_"}\nAdmins: ${input.settings.admins.map((a) => `<@${a.platformUserId}>`).join(", ") || "_none_"}`,
    ),
    input.settings.canEdit
      ? actions([button(EDIT_SETTINGS, "Edit settings", "edit", "primary")])
      : context("Only admins can change these."),
  ];
  return { type: "home", blocks: blocks.slice(0, LIMITS.viewBlocks) };
}

/** Log touch from the nudge: how they were in touch, and a note. */
export function logTouchModal(contactName: string, privateMetadata: string): types.ModalView {
  const option = (channel: TouchChannel) => ({
    text: { type: "plain_text" as const, text: channelLabel(channel) },
    value: channel,
  });
  return modal({
    callbackId: NUDGE_TOUCH_VIEW,
    privateMetadata,
    title: "Log a touch",
    submit: "Log touch",
    close: "Cancel",
    blocks: [
      section(`With *${escapeMrkdwn(truncate(contactName, 200))}*, today.`),
      input("channel", "How", {
        type: "static_select",
        action_id: "value",
        options: HAND_LOGGED_CHANNELS.map(option),
        initial_option: option("call"),
      }),
      input(
        "note",
        "Note",
        {
          type: "plain_text_input",
          action_id: "value",
          multiline: true,
          placeholder: { type: "plain_text", text: "called about the gala" },
        },
        true,
      ),
    ],
  });
}

/** Add as contact from the nudge: prefilled from the X author, whose handle and id come along. */
export function addContactModal(mention: Mention, privateMetadata: string): types.ModalView {
  const { author } = mention;
  return modal({
    callbackId: NUDGE_CONTACT_VIEW,
    privateMetadata,
    title: "Add as contact",
    submit: "Add contact",
    close: "Cancel",
    blocks: [
      section(`${link(`https://x.com/${author.handle}`, `@${author.handle}`)} on X, with their mentions so far.`),
      input("name", "Name", textInput("value", author.name ?? author.handle, "Jane Doe")),
      input("segment", "Segment", textInput("value", null, "major donor, board, influencer…"), true),
      input("email", "Email", textInput("value", null, "jane@example.org"), true),
    ],
  });
}
