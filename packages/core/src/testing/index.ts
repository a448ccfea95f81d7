export { randomId } from "./ids.js";
export { InMemoryStorage } from "./in-memory-storage.js";
export {
  describeStorageContract,
  newTenant,
  sampleDigest,
  slackInstall,
  uniqueExternalId,
} from "./storage-contract.js";

import type { Clock } from "../ports.js";

/** A clock that stands still until told to move. */
export class FixedClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(to: Date): void {
    this.current = to;
  }
}
