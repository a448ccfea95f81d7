import {
  type DeliveryFailure,
  err,
  type InstallScope,
  isChatUserId,
  type Logger,
  type LookupFailure,
  type NudgeDelivery,
  type NudgeNotifier,
  ok,
  type Result,
  type Storage,
} from "@touchpoint/core";
import type { ConversationParameters, ConversationReference, TurnContext } from "botbuilder";
import {
  CONNECTOR_TIMEOUT_MS,
  ConnectorTimeout,
  createAdapter,
  fetchTeamDetails,
  type TeamsCredentials,
} from "./adapter.js";
import type { AdaptiveCard } from "./cards/card.js";
import { DELIVERY_FIELD, DIGEST_FIELDS, digestCard } from "./cards/digest.js";
import { cardActivity } from "./cards/send.js";
import type { GraphClient, GraphConversation, GraphFailure, GraphListing, GraphMessage } from "./graph.js";
import { retryAfterSeconds } from "./retry-after.js";

/** A look for an earlier post (a team's Graph id, then up to a few pages of messages) is given up after this long. */
const LOOKUP_TIMEOUT_MS = 15_000;
/**
 * Graph's listing can be seconds behind the connector: a card the connector took is looked for no
 * sooner than this after the attempt that may have posted it (the sender's first retry would come
 * after 5 s otherwise).
 */
export const GRAPH_SETTLE_SECONDS = 30;
/** A look back this far before the delivery was queued covers any clock skew between replicas. */
const LOOKUP_MARGIN_MS = 5 * 60_000;
/** Errors of a connection that never opened: the request did not go out. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);
const ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";

/**
 * botbuilder's `createConversationAsync` types its audience as a string, but with none the
 * connector factory uses the one the adapter was configured for (the Bot Framework's public
 * scope, or the government cloud's), which is what a proactive message wants.
 */
const ADAPTER_AUDIENCE = undefined as unknown as string;

/**
 * Whether a delivery goes to a person (an owner's own nudge: a Teams user id or the Entra object id
 * Touchpoint keeps people by) rather than into a conversation: a channel (`19:…@thread.tacv2`), a
 * group chat (`19:…`) or a personal chat (`a:…`).
 */
export function isPersonTarget(target: string): boolean {
  return isChatUserId("teams", target);
}

/**
 * What a conversation id is: a team's channel (`19:…@thread.tacv2`, older teams `@thread.skype`), a
 * group chat (`19:…@thread.v2`, or one the app was added to as such), or else a personal chat.
 */
export function conversationKind(target: string, scopes: readonly InstallScope[]): "channel" | "chat" | "personal" {
  const scope = scopes.find((s) => s.conversationId === target && s.removedAt === null);
  if (scope?.scope === "groupChat") return "chat";
  if (scope?.scope === "personal") return "personal";
  if (/@thread\.(tacv2|skype)$/.test(target)) return "channel";
  if (/@thread\.v2$/.test(target)) return "chat";
  return "personal";
}

/**
 * Nudges into Teams: the nudge as an Adaptive Card, sent proactively into the channel the app was
 * added to, from the conversation reference stored at install; an owner's own nudge goes to them
 * in a 1:1 chat the bot creates. The outbox alone decides when to try again: botbuilder's HTTP
 * pipeline sends nothing twice, and every connector call the notifier makes (the sends, Create
 * Conversation, and Get Team Details through `fetchTeamDetails`, not botbuilder's TeamsInfo) is
 * given up after `timeoutMs`. Each card carries its delivery id, which `findPosted` looks for in
 * the conversation's recent messages through Microsoft Graph, where the app may read them.
 */
export function createTeamsNotifier(options: {
  readonly storage: Storage;
  readonly logger: Logger;
  readonly credentials: TeamsCredentials;
  /** The card for a delivery. By default the nudge with its buttons and its delivery id. */
  readonly render?: (delivery: NudgeDelivery) => AdaptiveCard;
  /** Where earlier posts are looked for; without it, an unknown outcome stays unknown. */
  readonly graph?: GraphClient;
  /** Each connector call given up after this long (tests shorten it). */
  readonly timeoutMs?: number;
  /** A look for an earlier post given up after this long. */
  readonly lookupTimeoutMs?: number;
  /** How long after a post Graph is trusted to list it (GRAPH_SETTLE_SECONDS; tests shorten it). */
  readonly lookupSettleSeconds?: number;
}): NudgeNotifier {
  const render =
    options.render ??
    ((delivery: NudgeDelivery) => digestCard(delivery.message, { buttons: true, deliveryId: delivery.id }));
  const timeoutMs = options.timeoutMs ?? CONNECTOR_TIMEOUT_MS;
  const adapter = createAdapter(options.credentials, { timeoutMs });
  const appId = options.credentials.kind === "app" ? options.credentials.appId : "";
  const { graph, logger } = options;
  /** Bot Framework team ids to the team's Graph id (its Microsoft 365 group), which never changes. */
  const graphTeamIds = new Map<string, string>();
  const notInstalled: DeliveryFailure = {
    kind: "rejected",
    detail: "Touchpoint is not installed in this Teams tenant",
  };

  interface Installed {
    readonly reference: Partial<ConversationReference>;
    readonly teamsTenantId: string;
    /** The team the app was installed in, if it was. */
    readonly teamId: string | null;
  }

  /** The stored reference, the Teams tenant it belongs to, and its team. */
  async function installedFor(delivery: NudgeDelivery): Promise<Installed | undefined> {
    const tenant = await options.storage.tenants.get(delivery.tenantId);
    if (tenant?.platform !== "teams") return undefined;
    const installation = await options.storage.installations.find("teams", tenant.externalId);
    if (!installation) return undefined;
    const reference = referenceOf(installation.secret, delivery.tenantId);
    return reference && { reference, teamsTenantId: tenant.externalId, teamId: installation.teamId };
  }

  function referenceOf(json: string, tenantId: string): Partial<ConversationReference> | undefined {
    try {
      const { activityId: _answered, ...reference } = JSON.parse(json) as Partial<ConversationReference>;
      return reference;
    } catch (error) {
      logger.error({ err: error, tenantId }, "a Teams conversation reference does not read");
      return undefined;
    }
  }

  /** Into a conversation (the tenant's nudge channel): the stored reference, pointed at it. */
  async function postInto(reference: Partial<ConversationReference>, delivery: NudgeDelivery): Promise<string> {
    const into = {
      ...reference,
      conversation: { ...reference.conversation, id: delivery.target } as ConversationReference["conversation"],
    };
    let id: string | undefined;
    await adapter.continueConversationAsync(appId, into, async (context) => {
      newMessages(context);
      id = (await context.sendActivity(cardActivity(render(delivery))))?.id;
    });
    return `${delivery.target}/${id ?? ""}`;
  }

  /**
   * To a person: the bot's 1:1 chat with them, created (or, as Teams does for one that exists,
   * found) through the connector, and the card sent in the turn that creation starts. Until the
   * card goes out nothing is posted, whatever the creation's failure.
   */
  async function postTo(
    reference: Partial<ConversationReference>,
    teamsTenantId: string,
    delivery: NudgeDelivery,
  ): Promise<Result<string, DeliveryFailure>> {
    const serviceUrl = reference.serviceUrl;
    // Stored at install: one without these can reach nobody, however often it is tried.
    if (!serviceUrl || !reference.bot) {
      return err({
        kind: "rejected",
        detail: "the Teams installation's conversation reference has no serviceUrl or bot",
      });
    }
    const parameters = {
      isGroup: false,
      bot: reference.bot,
      members: [{ id: delivery.target }],
      tenantId: teamsTenantId,
      channelData: { tenant: { id: teamsTenantId } },
    } as ConversationParameters;
    let ref = "";
    let sending = false;
    try {
      await adapter.createConversationAsync(
        appId,
        reference.channelId ?? "msteams",
        serviceUrl,
        ADAPTER_AUDIENCE,
        parameters,
        async (context: TurnContext) => {
          newMessages(context);
          sending = true;
          const id = (await context.sendActivity(cardActivity(render(delivery))))?.id;
          ref = `${context.activity.conversation.id}/${id ?? ""}`;
        },
      );
      return ok(ref);
    } catch (error) {
      return err(failureOf(error, { sent: sending }));
    }
  }

  /**
   * The team's Graph id, asked of the connector (Get Team Details) in a turn on the installed
   * reference. A GET, so one left unanswered past the look-up's deadline does no harm.
   */
  async function graphTeamId(reference: Partial<ConversationReference>, teamId: string): Promise<string | undefined> {
    const known = graphTeamIds.get(teamId);
    if (known) return known;
    let found: string | undefined;
    await adapter.continueConversationAsync(appId, reference, async (context) => {
      found = (await fetchTeamDetails(context, teamId, { timeoutMs })).aadGroupId;
    });
    if (found) graphTeamIds.set(teamId, found);
    return found;
  }

  /** The delivery's card among the messages, if it is there. */
  function findCard(messages: readonly GraphMessage[], delivery: NudgeDelivery): GraphMessage | undefined {
    return messages.find((message) => !message.replyToId && (message.attachments ?? []).some(isItsCard));

    function isItsCard(attachment: NonNullable<GraphMessage["attachments"]>[number]): boolean {
      if (attachment.contentType !== ADAPTIVE_CARD) return false;
      const card = cardOf(attachment.content);
      const hidden = new Map(
        (card?.body ?? [])
          .filter((element) => element.type === "Input.Text" && typeof element.id === "string")
          .map((element) => [element.id, element.value] as const),
      );
      if (hidden.has(DELIVERY_FIELD)) return hidden.get(DELIVERY_FIELD) === delivery.id;
      // A card a button press re-rendered in place keeps which nudge it is, not its delivery id.
      const [tenantField, dateField] = DIGEST_FIELDS;
      if (hidden.get(tenantField) !== delivery.tenantId || hidden.get(dateField) !== delivery.localDate) return false;
      // Its buttons say which kind; one with none left (every item handled) is taken for it.
      const kind = submittedKind(card);
      return kind === undefined || kind === delivery.kind;
    }
  }

  /** What a Graph answer says about the delivery's card, and a reference to it when found. */
  function lookupOf(
    answer: Result<GraphListing, GraphFailure>,
    delivery: NudgeDelivery,
  ): Result<{ ref: string } | null, LookupFailure> {
    if (!answer.ok) {
      const failure = answer.error;
      return err(failure.kind === "no_access" ? { kind: "unverifiable", detail: failure.detail } : failure);
    }
    const card = findCard(answer.value.messages, delivery);
    if (card) return ok({ ref: `${delivery.target}/${card.id}` });
    // The pages read never reached back to the delivery: the card may be further down. Asking again
    // later reads further still from the top, so this cannot be looked at, rather than "not there".
    if (!answer.value.complete) {
      return err({
        kind: "unverifiable",
        detail: `the ${answer.value.messages.length} newest messages Graph listed do not reach back to the delivery`,
      });
    }
    return ok(null);
  }

  async function lookIn(
    delivery: NudgeDelivery,
    installed: Installed,
    graph: GraphClient,
  ): Promise<Result<{ ref: string } | null, LookupFailure>> {
    const scopes = await options.storage.withTenant(delivery.tenantId, (r) => r.installScopes.list());
    const since = new Date(delivery.createdAt.getTime() - LOOKUP_MARGIN_MS);
    const kind = conversationKind(delivery.target, scopes);
    if (kind === "personal") {
      return err({ kind: "unverifiable", detail: "a personal chat's messages are not readable by the app" });
    }
    if (kind === "chat") {
      const chat: GraphConversation = { kind: "chat", teamsTenantId: installed.teamsTenantId, chatId: delivery.target };
      return lookupOf(await graph.recentMessages(chat, since), delivery);
    }
    // A channel is in one of the organization's teams: the one it is the General channel of (or
    // was installed from) first, then the others. A team that lists the channel answers for it (a
    // channel is one team's, or shared, with the same messages wherever it is listed); one that
    // can't (not that team's channel, no consent, the connector down) leaves it to the others.
    const failures: LookupFailure[] = [];
    for (const team of teamsOf(delivery.target, scopes, installed)) {
      let teamId: string | undefined;
      try {
        teamId = await graphTeamId(team.reference, team.teamId);
      } catch (error) {
        const failure = failureOf(error);
        // 403 or 404: the bot is not in that team (any more).
        failures.push(
          failure.kind === "rejected"
            ? { kind: "unverifiable", detail: `team ${team.teamId}: ${failure.detail}` }
            : failure,
        );
        continue;
      }
      if (!teamId) {
        failures.push({ kind: "unverifiable", detail: `team ${team.teamId}: Teams gave no Microsoft 365 group` });
        continue;
      }
      const channel: GraphConversation = {
        kind: "channel",
        teamsTenantId: installed.teamsTenantId,
        teamId,
        channelId: delivery.target,
      };
      const found = lookupOf(await graph.recentMessages(channel, since), delivery);
      if (found.ok) return found;
      failures.push(
        found.error.kind === "unverifiable"
          ? { ...found.error, detail: `team ${teamId}: ${found.error.detail}` }
          : found.error,
      );
    }
    return err(verdictOf(failures, delivery.target));
  }

  return {
    async post(delivery) {
      const installed = await installedFor(delivery);
      if (!installed) return { ok: false, error: notInstalled };
      if (isPersonTarget(delivery.target)) {
        const posted = await postTo(installed.reference, installed.teamsTenantId, delivery);
        return posted.ok ? ok({ ref: posted.value }) : posted;
      }
      try {
        return ok({ ref: await postInto(installed.reference, delivery) });
      } catch (error) {
        return err(failureOf(error));
      }
    },

    lookupSettleSeconds(delivery) {
      // Where nothing can be looked in, there is nothing to wait for.
      return graph && !isPersonTarget(delivery.target) ? (options.lookupSettleSeconds ?? GRAPH_SETTLE_SECONDS) : 0;
    },

    async findPosted(delivery) {
      if (isPersonTarget(delivery.target)) {
        return err({ kind: "unverifiable", detail: "an owner's own nudge is in a 1:1 chat the app cannot read" });
      }
      if (!graph) return err({ kind: "unverifiable", detail: "no Microsoft Graph to look in (TEAMS_GRAPH_URL)" });
      const installed = await installedFor(delivery);
      if (!installed) return err(notInstalled);
      const deadline = AbortSignal.timeout(options.lookupTimeoutMs ?? LOOKUP_TIMEOUT_MS);
      const timedOut = new Promise<Result<never, LookupFailure>>((resolve) =>
        deadline.addEventListener("abort", () =>
          resolve(err({ kind: "unavailable", detail: "the look for an earlier post took too long" })),
        ),
      );
      return Promise.race([lookIn(delivery, installed, graph), timedOut]);
    },
  };
}

/**
 * A proactive turn's activity has an id of botbuilder's making (a continuation's, or the new
 * conversation's), which it would send as replyToId: a new message in the conversation is meant.
 */
function newMessages(context: TurnContext): void {
  context.onSendActivities(async (_context, activities, next) => {
    for (const activity of activities) delete activity.replyToId;
    return next();
  });
}

/**
 * Why no team could say whether the channel holds the card: not now (a 5xx, a throttle, a
 * connector down) when any team could not answer now, since that one may be the channel's; can't
 * look only when every team says it can't.
 */
function verdictOf(failures: readonly LookupFailure[], channel: string): LookupFailure {
  const throttled = failures.flatMap((failure) => (failure.kind === "rate_limited" ? [failure.retryAfterSeconds] : []));
  // A throttle holds for the next look whichever team it came from: wait the longest asked.
  if (throttled.length > 0) return { kind: "rate_limited", retryAfterSeconds: Math.max(...throttled) };
  const transient = failures.find((failure) => failure.kind !== "unverifiable" && failure.kind !== "rejected");
  if (transient) return transient;
  const details = failures.map((failure) => ("detail" in failure ? failure.detail : failure.kind));
  return {
    kind: "unverifiable",
    detail: `no team lets the app read channel ${channel} (${details.join("; ") || "no team installed"})`,
  };
}

/** The organization's teams the app is in, the likeliest home of `channel` first. */
function teamsOf(
  channel: string,
  scopes: readonly InstallScope[],
  installed: { readonly reference: Partial<ConversationReference>; readonly teamId: string | null },
): { readonly teamId: string; readonly reference: Partial<ConversationReference> }[] {
  const teams = scopes
    .filter((scope) => scope.scope === "team" && scope.removedAt === null)
    .flatMap((scope) => {
      try {
        return [
          { teamId: scope.conversationId, reference: JSON.parse(scope.reference) as Partial<ConversationReference> },
        ];
      } catch {
        return [];
      }
    });
  // An install made before scopes were kept names its team only in the installation.
  if (installed.teamId && !teams.some((team) => team.teamId === installed.teamId)) {
    teams.push({ teamId: installed.teamId, reference: installed.reference });
  }
  const home = (team: (typeof teams)[number]) =>
    team.teamId === channel || team.reference.conversation?.id?.split(";")[0] === channel;
  return [...teams.filter(home), ...teams.filter((team) => !home(team))];
}

/** The nudge kind a card's buttons carry, if it has any. */
function submittedKind(node: unknown): string | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const kind = submittedKind(item);
      if (kind !== undefined) return kind;
    }
    return undefined;
  }
  if (typeof node !== "object" || node === null) return undefined;
  const element = node as { type?: unknown; data?: { kind?: unknown } };
  if (element.type === "Action.Submit" && typeof element.data?.kind === "string") return element.data.kind;
  return submittedKind(Object.values(node));
}

/** A card as Graph gives it back: its JSON as a string (or, from some clients, the object). */
function cardOf(content: unknown): { body?: { type?: string; id?: string; value?: unknown }[] } | undefined {
  try {
    const card = typeof content === "string" ? JSON.parse(content) : content;
    return typeof card === "object" && card !== null ? card : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a Bot Framework connector error means for the delivery. A 429 (with its Retry-After) and a
 * 412 say nothing was posted; so does any failure before the message went out (`sent: false`:
 * creating a person's chat) and a connection that never opened. A 5xx, a 408, a timeout or a
 * dropped connection after the request went out may have posted it: its outcome is unknown.
 * Anything else is a refusal retrying will not change (403: the bot was removed from the team).
 */
export function failureOf(error: unknown, options: { readonly sent?: boolean } = {}): DeliveryFailure {
  const e = error as {
    statusCode?: number;
    code?: string;
    response?: { headers?: { get?(name: string): string | undefined } };
    message?: string;
  };
  const status = e.statusCode;
  const sent = options.sent ?? true;
  if (status === 429) {
    return { kind: "rate_limited", retryAfterSeconds: retryAfterSeconds(e.response?.headers?.get?.("retry-after")) };
  }
  if (status === 412) return { kind: "not_taken", detail: "HTTP 412" };
  const unknown = (detail: string): DeliveryFailure => ({ kind: sent ? "unavailable" : "not_taken", detail });
  if (status !== undefined && (status >= 500 || status === 408)) return unknown(`HTTP ${status}`);
  if (status !== undefined) return { kind: "rejected", detail: `HTTP ${status}: ${e.message ?? "refused"}` };
  if (error instanceof ConnectorTimeout) return unknown(error.message);
  if (e.code && NOT_SENT_CODES.has(e.code)) return { kind: "not_taken", detail: `${e.code}: ${e.message ?? ""}` };
  // A dropped connection, or anything else: Teams may have posted it.
  return unknown(e.message ?? String(error));
}
