export type { TeamsCredentials } from "./adapter.js";
export { createTeamsApp, MESSAGES_PATH, type TeamsApp, type TeamsAppOptions } from "./app.js";
export type { AdaptiveCard } from "./cards/card.js";
export type { TeamsDeps } from "./deps.js";
export { createGraphClient, DEFAULT_GRAPH_URL, type GraphClient, graphToken } from "./graph.js";
export { MAX_BODY_BYTES } from "./http.js";
export { createTeamsNotifier } from "./notifier.js";
