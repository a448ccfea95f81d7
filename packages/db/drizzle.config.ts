import { defineConfig } from "drizzle-kit";

// Migrations live at the repository root (drizzle/), generated from src/schema.ts and committed.
// Roles, grants and Row-Level Security are custom migrations: `pnpm db:generate --custom --name=…`.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema.ts",
  out: "../../drizzle",
});
