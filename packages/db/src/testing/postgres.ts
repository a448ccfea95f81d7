import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { inject } from "vitest";
import { createDb, type DatabaseHandle } from "../client.js";
import { withDatabase } from "./postgres-global-setup.js";

export interface FreshDatabase {
  readonly name: string;
  /** As the app's login user (DATABASE_URL's): what production runs as. */
  readonly appUrl: string;
  /** As the schema owner (DATABASE_ADMIN_URL's). */
  readonly adminUrl: string;
  connect(as?: "app" | "admin", maxConnections?: number): Promise<DatabaseHandle>;
  drop(): Promise<void>;
}

/** A database of its own for one test file: migrated (from the run's template) or empty. */
export async function freshDatabase(options: { readonly empty?: boolean } = {}): Promise<FreshDatabase> {
  const { adminUrl, appUrl, template } = inject("postgres");
  const name = `touchpoint_test_${randomBytes(6).toString("hex")}`;
  const admin = await createDb({ kind: "postgres", url: adminUrl, maxConnections: 1 });
  try {
    const from = options.empty ? "" : ` template ${template}`;
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.db.execute(sql.raw(`create database ${name}${from}`));
        break;
      } catch (error) {
        // Two files copying the template at the same instant: the loser retries.
        if (attempt >= 5 || !String(error).includes("is being accessed by other users")) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  } finally {
    await admin.close();
  }
  const handles: DatabaseHandle[] = [];
  return {
    name,
    appUrl: withDatabase(appUrl, name),
    adminUrl: withDatabase(adminUrl, name),
    async connect(as = "app", maxConnections = 10) {
      const handle = await createDb({
        kind: "postgres",
        url: withDatabase(as === "app" ? appUrl : adminUrl, name),
        maxConnections,
      });
      handles.push(handle);
      return handle;
    },
    async drop() {
      await Promise.all(handles.map((h) => h.close()));
      const cleanup = await createDb({ kind: "postgres", url: adminUrl, maxConnections: 1 });
      try {
        await cleanup.db.execute(sql.raw(`drop database if exists ${name} with (force)`));
      } finally {
        await cleanup.close();
      }
    },
  };
}
