/**
 * The objects the fake Slack Web API answers with, shaped after the examples on Slack's method
 * reference pages (docs.slack.dev/reference/methods/<method>): auth.test, oauth.v2.access (and the
 * organization-wide variant on api.slack.com/enterprise/apps/reference), users.info,
 * conversations.info, chat.postMessage, views.open and views.publish. Only the fields a Slack app
 * reads are filled in; the values are this fake's own.
 */

export interface FakeUser {
  readonly id: string;
  readonly name: string;
  readonly realName: string;
  readonly email?: string;
  readonly isAdmin?: boolean;
}

export interface FakeChannel {
  readonly id: string;
  readonly name: string;
  readonly isPrivate?: boolean;
}

export interface FakeWorkspace {
  readonly teamId: string;
  readonly teamName: string;
  readonly enterpriseId?: string;
  readonly enterpriseName?: string;
  /** The bot token is an organization-wide (Enterprise Grid org) install. */
  readonly isEnterpriseInstall?: boolean;
  readonly botToken: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly users?: readonly FakeUser[];
  readonly channels?: readonly FakeChannel[];
}

/** A message as Slack stores it and returns it from chat.postMessage and conversations.history. */
export interface StoredMessage {
  type: "message";
  text: string;
  user: string;
  bot_id: string;
  app_id: string;
  team: string;
  ts: string;
  blocks?: unknown;
  attachments?: unknown;
  metadata?: { event_type: string; event_payload: unknown };
  thread_ts?: string;
  edited?: { user: string; ts: string };
}

const CREATED = 1_700_000_000;

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-") || "workspace";
}

export function workspaceUrl(ws: FakeWorkspace): string {
  return `https://${slug(ws.teamName)}.slack.com/`;
}

export function authTestBody(ws: FakeWorkspace) {
  return {
    ok: true,
    url: workspaceUrl(ws),
    team: ws.teamName,
    user: "touchpoint",
    team_id: ws.teamId,
    user_id: ws.botUserId,
    bot_id: ws.botId,
    ...(ws.enterpriseId ? { enterprise_id: ws.enterpriseId } : {}),
    is_enterprise_install: ws.isEnterpriseInstall ?? false,
  };
}

export function oauthV2AccessBody(
  ws: FakeWorkspace,
  appId: string,
  grant: { userId: string; scopes: readonly string[]; isEnterpriseInstall?: boolean },
) {
  const isEnterpriseInstall = grant.isEnterpriseInstall ?? false;
  return {
    ok: true,
    access_token: ws.botToken,
    token_type: "bot",
    scope: grant.scopes.join(","),
    bot_user_id: ws.botUserId,
    app_id: appId,
    // An organization-wide install has no single workspace: `team` is null.
    team: isEnterpriseInstall ? null : { id: ws.teamId, name: ws.teamName },
    enterprise: ws.enterpriseId ? { id: ws.enterpriseId, name: ws.enterpriseName ?? ws.enterpriseId } : null,
    authed_user: { id: grant.userId },
    is_enterprise_install: isEnterpriseInstall,
  };
}

export function userObject(ws: FakeWorkspace, user: FakeUser) {
  const displayName = user.name;
  return {
    id: user.id,
    team_id: ws.teamId,
    name: user.name,
    deleted: false,
    color: "9f69e7",
    real_name: user.realName,
    tz: "America/New_York",
    tz_label: "Eastern Standard Time",
    tz_offset: -18000,
    profile: {
      real_name: user.realName,
      display_name: displayName,
      real_name_normalized: user.realName,
      display_name_normalized: displayName,
      ...(user.email ? { email: user.email } : {}),
      image_24: `https://avatars.example.invalid/${user.id}_24.png`,
      image_72: `https://avatars.example.invalid/${user.id}_72.png`,
      team: ws.teamId,
    },
    is_admin: user.isAdmin ?? false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: false,
    is_app_user: false,
    updated: CREATED,
  };
}

export function botUserObject(ws: FakeWorkspace, appId: string) {
  return {
    ...userObject(ws, { id: ws.botUserId, name: "touchpoint", realName: "Touchpoint" }),
    is_bot: true,
    profile: { real_name: "Touchpoint", display_name: "", bot_id: ws.botId, api_app_id: appId, team: ws.teamId },
  };
}

export function channelObject(ws: FakeWorkspace, channel: FakeChannel) {
  return {
    id: channel.id,
    name: channel.name,
    is_channel: !channel.isPrivate,
    is_group: Boolean(channel.isPrivate),
    is_im: false,
    is_mpim: false,
    is_private: Boolean(channel.isPrivate),
    created: CREATED,
    is_archived: false,
    is_general: false,
    unlinked: 0,
    name_normalized: channel.name,
    is_shared: false,
    is_org_shared: false,
    is_ext_shared: false,
    is_pending_ext_shared: false,
    context_team_id: ws.teamId,
    creator: ws.users?.[0]?.id ?? ws.botUserId,
    is_member: true,
    topic: { value: "", creator: "", last_set: 0 },
    purpose: { value: "", creator: "", last_set: 0 },
    previous_names: [],
  };
}

/** The direct-message channel Slack opens when a message is posted to a user's id. */
export function imChannelObject(id: string, userId: string) {
  return { id, created: CREATED, is_im: true, is_org_shared: false, user: userId, is_user_deleted: false };
}

/** A view as views.open / views.publish / views.update return it: Slack's defaults, then what was sent. */
export function viewObject(
  ws: FakeWorkspace,
  appId: string,
  ids: { id: string; hash: string; rootViewId?: string; previousViewId?: string | null },
  submitted: Record<string, unknown>,
) {
  return {
    id: ids.id,
    team_id: ws.teamId,
    type: "modal",
    title: null,
    close: null,
    submit: null,
    blocks: [],
    private_metadata: "",
    callback_id: "",
    external_id: "",
    state: { values: {} },
    clear_on_close: false,
    notify_on_close: false,
    previous_view_id: ids.previousViewId ?? null,
    ...submitted,
    hash: ids.hash,
    root_view_id: ids.rootViewId ?? ids.id,
    app_id: appId,
    app_installed_team_id: ws.teamId,
    bot_id: ws.botId,
  };
}
