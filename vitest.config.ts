import { defineConfig } from "vitest/config";

/**
 * One vitest run over the workspace. Unit tests isolate as usual; tests that use the database
 * share one embedded PGlite per worker (`isolate: false` keeps it alive across files), and the
 * *.pg.test.ts files join only when DATABASE_URL points at a real PostgreSQL.
 */
const appUrl = process.env.DATABASE_URL;
const adminUrl = process.env.DATABASE_ADMIN_URL ?? appUrl;
const sourceConditions = { conditions: ["@touchpoint/source"] };

export default defineConfig({
  resolve: sourceConditions,
  ssr: { resolve: { ...sourceConditions, externalConditions: ["@touchpoint/source"] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: [
            "packages/core/src/**/*.test.ts",
            "packages/slack/src/**/*.test.ts",
            "packages/teams/src/**/*.test.ts",
            "packages/x/src/**/*.test.ts",
          ],
        },
      },
      {
        extends: true,
        test: {
          name: "db",
          include: ["packages/db/src/**/*.test.ts", "apps/server/src/**/*.test.ts", "test/**/*.test.ts"],
          exclude: ["**/*.pg.test.ts", "**/node_modules/**"],
          isolate: false,
          pool: "forks",
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      ...(appUrl && adminUrl
        ? [
            {
              extends: true as const,
              test: {
                name: "postgres",
                include: ["**/*.pg.test.ts"],
                exclude: ["**/node_modules/**"],
                globalSetup: ["packages/db/src/testing/postgres-global-setup.ts"],
                // The environment is read here, in the config; the global setup adds the template.
                provide: { postgresServer: { appUrl, adminUrl } },
                testTimeout: 60_000,
                hookTimeout: 60_000,
              },
            },
          ]
        : []),
    ],
  },
});
