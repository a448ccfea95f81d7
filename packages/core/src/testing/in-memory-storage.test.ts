import { InMemoryStorage } from "./in-memory-storage.js";
import { describeStorageContract } from "./storage-contract.js";

describeStorageContract("in memory", () => new InMemoryStorage());
