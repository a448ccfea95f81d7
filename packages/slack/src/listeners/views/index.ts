import type { App, ViewSubmitAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import {
  CONNECT_X_VIEW,
  CREATE_CONTACT_VIEW,
  NUDGE_CONTACT_VIEW,
  NUDGE_TOUCH_VIEW,
  SETTINGS_VIEW,
} from "./callback-ids.js";
import { connectXSubmitted } from "./connect-x.js";
import { createContactSubmitted } from "./create-contact.js";
import { nudgeContactSubmitted, nudgeTouchSubmitted } from "./nudge.js";
import { settingsSubmitted } from "./settings.js";

export function registerViews(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(CREATE_CONTACT_VIEW, createContactSubmitted(deps));
  app.view<ViewSubmitAction>(SETTINGS_VIEW, settingsSubmitted(deps));
  app.view<ViewSubmitAction>(CONNECT_X_VIEW, connectXSubmitted(deps));
  app.view<ViewSubmitAction>(NUDGE_TOUCH_VIEW, nudgeTouchSubmitted(deps));
  app.view<ViewSubmitAction>(NUDGE_CONTACT_VIEW, nudgeContactSubmitted(deps));
}
