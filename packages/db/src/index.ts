export {
  createDb,
  type Database,
  type DatabaseConfig,
  type DatabaseHandle,
  queryRows,
  type Transaction,
} from "./client.js";
export { createSecretBox, envelopeKeyId, keyIdOf, type SecretBox, UnknownSealingKey } from "./crypto.js";
export { DatabaseError } from "./errors.js";
export { expireLeases } from "./leases.js";
export {
  MIGRATIONS_FOLDER,
  type MigrateOptions,
  type MigrationStatus,
  migrate,
  migrationStatus,
  shippedMigrations,
} from "./migrate.js";
export * as schema from "./schema.js";
export { asSystem, inTenant } from "./scopes.js";
export {
  checkSealingKey,
  type ResealProgress,
  type ResealReport,
  type ResealTally,
  registeredSealingKeys,
  registerSealingKey,
  resealSecrets,
  retireOtherSealingKeys,
  SEALED_COLUMNS,
  type SealedColumn,
  type SealingKeyCheck,
  SealingKeyMismatch,
} from "./sealing.js";
export { createStorage } from "./storage.js";
