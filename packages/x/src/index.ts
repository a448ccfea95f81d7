export { createXSource, DEFAULT_X_API_URL, type XSourceOptions } from "./x-source.js";
