import { TeamsActivityHandler } from "botbuilder";
import type { TeamsDeps } from "./deps.js";
import { installed, uninstalled } from "./handlers/install.js";
import { onMessage } from "./handlers/message.js";

/**
 * Touchpoint in Teams: installs, uninstalls and messages, each handed to one handler. Every
 * handler works for the tenant the activity's Teams tenant installed, and for no other.
 */
export class TouchpointBot extends TeamsActivityHandler {
  constructor(deps: TeamsDeps) {
    super();
    this.onInstallationUpdateAdd(async (context, next) => {
      await installed(deps, context);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await uninstalled(deps, context);
      await next();
    });
    // Also raised for a personal install (a conversationUpdate with no Teams event type).
    this.onTeamsMembersAddedEvent(async (membersAdded, _team, context, next) => {
      if (membersAdded.some((member) => member.id === context.activity.recipient.id)) await installed(deps, context);
      await next();
    });
    this.onMessage(async (context, next) => {
      await onMessage(deps, context);
      await next();
    });
  }
}
