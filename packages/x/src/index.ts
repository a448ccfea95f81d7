export {
  createRecordedXSource,
  type RecordedXSourceOptions,
  readXRecording,
  type XRecording,
} from "./recorded-source.js";
export { createXSource, DEFAULT_X_API_URL, type XSourceOptions } from "./x-source.js";
