import type { App, ViewSubmitAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { routes } from "../route.js";
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
  const views = routes({
    [CREATE_CONTACT_VIEW]: createContactSubmitted(deps),
    [SETTINGS_VIEW]: settingsSubmitted(deps),
    [CONNECT_X_VIEW]: connectXSubmitted(deps),
    [NUDGE_TOUCH_VIEW]: nudgeTouchSubmitted(deps),
    [NUDGE_CONTACT_VIEW]: nudgeContactSubmitted(deps),
  });
  app.view<ViewSubmitAction>(views.pattern, (args) => views.handler(args.view.callback_id)(args));
}
