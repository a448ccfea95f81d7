import { sql } from "drizzle-orm";
import type { TestProject } from "vitest/node";
import { createDb } from "../client.js";
import { migrate } from "../migrate.js";

export const TEMPLATE_DATABASE = "touchpoint_test_template";

declare module "vitest" {
  export interface ProvidedContext {
    /** From vitest.config.ts: the server DATABASE_URL and DATABASE_ADMIN_URL point at. */
    postgresServer: { adminUrl: string; appUrl: string };
    /** From this setup: the same, plus a migrated template to copy databases from. */
    postgres: { adminUrl: string; appUrl: string; template: string };
  }
}

/**
 * Once per run: migrate a template database, so each *.pg.test.ts file can copy a fresh one in
 * a fraction of a second (CREATE DATABASE … TEMPLATE) instead of migrating its own.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { appUrl, adminUrl } = project.getProvidedContext().postgresServer;

  const admin = await createDb({ kind: "postgres", url: adminUrl, maxConnections: 1 });
  try {
    await admin.db.execute(sql.raw(`drop database if exists ${TEMPLATE_DATABASE} with (force)`));
  } catch {
    // ignore: an older server without WITH (FORCE) or no such database
  }
  await admin.db.execute(sql.raw(`create database ${TEMPLATE_DATABASE}`));
  await admin.close();

  const template = await createDb({
    kind: "postgres",
    url: withDatabase(adminUrl, TEMPLATE_DATABASE),
    maxConnections: 1,
  });
  const appUser = decodeURIComponent(new URL(appUrl).username);
  const adminUser = decodeURIComponent(new URL(adminUrl).username);
  await migrate(template, { grantTo: appUser && appUser !== adminUser ? [appUser] : [] });
  await template.close();

  project.provide("postgres", { adminUrl, appUrl, template: TEMPLATE_DATABASE });
  return async () => {
    const cleanup = await createDb({ kind: "postgres", url: adminUrl, maxConnections: 1 });
    await cleanup.db.execute(sql.raw(`drop database if exists ${TEMPLATE_DATABASE} with (force)`));
    await cleanup.close();
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
