import { TeamsActivityHandler, type TurnContext } from "botbuilder";
import { activityRefusal, type TeamsDeps } from "./deps.js";
import { installed, uninstalled } from "./handlers/install.js";
import { onMessage } from "./handlers/message.js";

export interface TouchpointBotOptions {
  /** Take the Bot Framework Emulator's activities too: only when the server runs unauthenticated, locally. */
  readonly acceptEmulator: boolean;
}

/**
 * Touchpoint in Teams: installs, uninstalls and messages, each handed to one handler. Every
 * handler works for the tenant the activity's Teams tenant installed, and for no other; an
 * activity that is not from Teams, or names two tenants, reaches none of them.
 */
export class TouchpointBot extends TeamsActivityHandler {
  constructor(
    private readonly deps: TeamsDeps,
    private readonly options: TouchpointBotOptions,
  ) {
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

  /** Refused activities are dropped before any handler: nothing is written, nothing is answered. */
  override async run(context: TurnContext): Promise<void> {
    const { activity } = context;
    const refusal = activityRefusal(activity, this.options);
    if (refusal) {
      // Who sent it and what it said stay out of the log; the channel id is the platform's name.
      this.deps.logger.warn(
        {
          reason: refusal,
          channelId: String(activity.channelId).slice(0, 40),
          activityType: String(activity.type).slice(0, 40),
        },
        "a Teams activity was refused",
      );
      return;
    }
    await super.run(context);
  }
}
