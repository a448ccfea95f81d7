import { describeStorageContract } from "@touchpoint/core/testing";
import { sharedEmbeddedStorage } from "./testing/index.js";

describeStorageContract("embedded PGlite", sharedEmbeddedStorage);
