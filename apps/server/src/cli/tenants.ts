import { createTenant, type Tenant, type TenantPatch, updateTenantSettings, validatePlatform } from "@touchpoint/core";
import { type Command, Option } from "commander";
import { type CliContext, CliError, printJson, printTable, tenantOrFail, withDatabase } from "./context.js";

function describeTenant(tenant: Tenant, deadDeliveries = 0, unknownDeliveries = 0): Record<string, unknown> {
  return {
    id: tenant.id,
    platform: tenant.platform,
    externalId: tenant.externalId,
    name: tenant.name,
    timeZone: tenant.timeZone,
    nudgeTime: tenant.nudgeTime,
    nudgeChannel: tenant.nudgeChannel,
    settings: tenant.settings,
    createdAt: tenant.createdAt.toISOString(),
    deadDeliveries,
    unknownDeliveries,
  };
}

export function registerTenants(program: Command, context: () => CliContext): void {
  const tenants = program.command("tenants").description("list, create and configure organizations");

  tenants
    .command("list")
    .description("every organization on this installation")
    .option("--json", "print JSON instead of a table")
    .action(async (options: { json?: boolean }) => {
      const ctx = context();
      await withDatabase(ctx, async (db) => {
        const [all, dead, unknown] = await Promise.all([
          db.storage.tenants.list(),
          db.storage.nudges.deadLetters(),
          db.storage.nudges.unknownOutcomes(),
        ]);
        if (options.json)
          return printJson(
            ctx.out,
            all.map((t) => describeTenant(t, dead.get(t.id), unknown.get(t.id))),
          );
        if (all.length === 0) {
          ctx.out.print("No organizations yet. Create one with `touchpoint tenants create` or run `pnpm demo`.");
          return;
        }
        printTable(
          ctx.out,
          ["ID", "PLATFORM", "EXTERNAL ID", "NAME", "TIME ZONE", "NUDGE", "CHANNEL", "DEAD", "UNKNOWN"],
          all.map((t) => [
            t.id,
            t.platform,
            t.externalId,
            t.name,
            t.timeZone,
            t.nudgeTime,
            t.nudgeChannel ?? "—",
            String(dead.get(t.id) ?? 0),
            String(unknown.get(t.id) ?? 0),
          ]),
        );
        const undelivered = [...dead.values()].reduce((sum, n) => sum + n, 0);
        if (undelivered > 0) {
          ctx.out.print(
            `\n${undelivered} nudge ${undelivered === 1 ? "delivery was" : "deliveries were"} given up (DEAD): the server log says why ("nudge delivery given up").`,
          );
        }
        const uncertain = [...unknown.values()].reduce((sum, n) => sum + n, 0);
        if (uncertain > 0) {
          ctx.out.print(
            `\n${uncertain} nudge ${uncertain === 1 ? "delivery" : "deliveries"} may or may not have arrived (UNKNOWN): the post got no clear answer and Touchpoint could not look in that conversation, so it did not post again rather than risk a second copy ("nudge delivery outcome unknown" in the server log).`,
          );
        }
      });
    });

  tenants
    .command("create")
    .description("create an organization (normally Slack or Teams installs do this)")
    .requiredOption("--name <name>", "the organization's name")
    .addOption(new Option("--platform <platform>", "where it lives").choices(["slack", "teams"]).makeOptionMandatory())
    .requiredOption("--external-id <id>", "its Slack team id or Teams tenant id")
    .option("--time-zone <tz>", "IANA time zone for the daily nudge, e.g. America/New_York")
    .option("--nudge-time <HH:MM>", "local time of the daily nudge (default 09:00)")
    .option("--channel <id>", "channel id for the daily nudge")
    .option("--json", "print the new organization as JSON")
    .action(
      async (options: {
        name: string;
        platform: string;
        externalId: string;
        timeZone?: string;
        nudgeTime?: string;
        channel?: string;
        json?: boolean;
      }) => {
        const platform = validatePlatform(options.platform);
        if (!platform.ok) throw new CliError(platform.error);
        const ctx = context();
        await withDatabase(ctx, async (db) => {
          const created = await createTenant(
            { storage: db.storage },
            {
              platform: platform.value,
              externalId: options.externalId,
              name: options.name,
              ...(options.timeZone !== undefined && { timeZone: options.timeZone }),
              ...(options.nudgeTime !== undefined && { nudgeTime: options.nudgeTime }),
              nudgeChannel: options.channel ?? null,
            },
          );
          if (!created.ok) throw new CliError(created.error.message);
          if (options.json) return printJson(ctx.out, describeTenant(created.value));
          ctx.out.print(
            `Created ${created.value.name} (${created.value.platform} ${created.value.externalId}): ${created.value.id}`,
          );
        });
      },
    );

  tenants
    .command("set")
    .description("change an organization's nudge time, time zone or channel")
    .requiredOption("--tenant <tenant>", "the tenant's id, or its Slack team id / Teams tenant id")
    .option("--time-zone <tz>", "IANA time zone, e.g. Europe/London")
    .option("--nudge-time <HH:MM>", "local time of the daily nudge")
    .option("--channel <id>", 'channel id for the daily nudge ("none" to clear)')
    .option("--name <name>", "rename the organization")
    .option("--json", "print the organization as JSON")
    .action(
      async (options: {
        tenant: string;
        timeZone?: string;
        nudgeTime?: string;
        channel?: string;
        name?: string;
        json?: boolean;
      }) => {
        const patch: TenantPatch = {
          ...(options.timeZone !== undefined && { timeZone: options.timeZone }),
          ...(options.nudgeTime !== undefined && { nudgeTime: options.nudgeTime }),
          ...(options.channel !== undefined && { nudgeChannel: options.channel === "none" ? null : options.channel }),
          ...(options.name !== undefined && { name: options.name }),
        };
        if (Object.keys(patch).length === 0) {
          throw new CliError("Nothing to change: give --time-zone, --nudge-time, --channel or --name.");
        }
        const ctx = context();
        await withDatabase(ctx, async (db) => {
          const tenant = await tenantOrFail(db, options.tenant);
          const updated = await updateTenantSettings({ storage: db.storage }, { tenantId: tenant.id, patch });
          if (!updated.ok) throw new CliError(updated.error.message);
          if (options.json) return printJson(ctx.out, describeTenant(updated.value));
          const t = updated.value;
          ctx.out.print(`${t.name}: nudge at ${t.nudgeTime} ${t.timeZone} in ${t.nudgeChannel ?? "(no channel yet)"}.`);
        });
      },
    );
}
