export {
  createDb,
  type Database,
  type DatabaseConfig,
  type DatabaseHandle,
  queryRows,
  type Transaction,
} from "./client.js";
export { createSecretBox, type SecretBox } from "./crypto.js";
export { DatabaseError } from "./errors.js";
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
export { createStorage } from "./storage.js";
