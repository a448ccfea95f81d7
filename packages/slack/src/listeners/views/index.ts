import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { type Routes, routes } from "../route.js";
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

export type ViewListener = (args: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => Promise<void>;

/** The modals' submissions, by callback id. */
export function viewListeners(deps: SlackDeps): Routes<ViewListener> {
  return routes<ViewListener>({
    [CREATE_CONTACT_VIEW]: createContactSubmitted(deps),
    [SETTINGS_VIEW]: settingsSubmitted(deps),
    [CONNECT_X_VIEW]: connectXSubmitted(deps),
    [NUDGE_TOUCH_VIEW]: nudgeTouchSubmitted(deps),
    [NUDGE_CONTACT_VIEW]: nudgeContactSubmitted(deps),
  });
}
