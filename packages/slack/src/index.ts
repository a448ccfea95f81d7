export { LogLevel } from "@slack/bolt";
export {
  BOT_EVENTS,
  BOT_SCOPES,
  createSlackApp,
  EVENTS_PATH,
  INSTALL_PATH,
  REDIRECT_PATH,
  SLASH_COMMANDS,
  type SlackApp,
  type SlackAppOptions,
} from "./app.js";
export { digestMessage } from "./blocks/digest.js";
export type { SlackDeps } from "./deps.js";
export { createSlackNotifier, DIGEST_EVENT_TYPE } from "./notifier.js";
