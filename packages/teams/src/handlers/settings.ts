import { type Logger, viewSettings } from "@touchpoint/core";
import type { TurnContext } from "botbuilder";
import type { AdaptiveCard } from "../cards/card.js";
import { type AdminCandidates, MOST_CANDIDATES, settingsAdminsOnly, settingsForm } from "../cards/settings.js";
import { channelOf, type TeamsDeps } from "../deps.js";
import { conversationPeople } from "../roster.js";
import type { Turn } from "../turn.js";

/** The HTTP status of a Bot Framework call that failed, when it got that far. */
export function statusOf(error: unknown): number | null {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : null;
}

/**
 * Who the form offers to make admins: the people of the team (asked in one of its channels) or
 * group chat it was asked in, as a Teams user picks people there; a personal chat has nobody else.
 */
export async function adminCandidates(
  context: TurnContext,
  admins: ReadonlySet<string>,
  logger: Logger,
): Promise<AdminCandidates> {
  if (context.activity.conversation.conversationType === "personal") {
    return { people: [], more: false, personalChat: true };
  }
  try {
    const roster = await conversationPeople(context, { limit: MOST_CANDIDATES, except: admins });
    return { ...roster, personalChat: false };
  } catch (error) {
    // The status only: botbuilder's error carries the request and the response, names and all.
    logger.warn({ statusCode: statusOf(error) }, "could not read a Teams conversation's members for the settings form");
    return { people: null, more: false, personalChat: false };
  }
}

/**
 * `settings`: the organization's settings as a form, for admins only (the installer is the first).
 * Asked in a channel, the form offers that channel for the nudge, and the team's people as admins.
 */
export async function settings(deps: TeamsDeps, turn: Turn): Promise<AdaptiveCard> {
  const view = await viewSettings(deps, { tenantId: turn.tenantId, actorId: turn.userId });
  if (!view.canEdit) return settingsAdminsOnly(view.admins);
  const admins = new Set(view.admins.map((a) => a.platformUserId));
  const candidates = await adminCandidates(turn.context, admins, deps.logger);
  return settingsForm(view, channelOf(turn.context.activity), candidates);
}
