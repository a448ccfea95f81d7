ALTER TABLE "nudge_deliveries" DROP CONSTRAINT "nudge_deliveries_nudge_fk";
--> statement-breakpoint
DROP INDEX "nudge_deliveries_target_key";--> statement-breakpoint
ALTER TABLE "nudge_deliveries" ADD COLUMN "kind" text DEFAULT 'daily' NOT NULL;--> statement-breakpoint
ALTER TABLE "nudges" ADD COLUMN "kind" text DEFAULT 'daily' NOT NULL;--> statement-breakpoint
ALTER TABLE "nudges" DROP CONSTRAINT "nudges_tenant_id_local_date_pk";--> statement-breakpoint
ALTER TABLE "nudges" ADD CONSTRAINT "nudges_pk" PRIMARY KEY("tenant_id","local_date","kind");--> statement-breakpoint
ALTER TABLE "nudge_deliveries" ADD CONSTRAINT "nudge_deliveries_nudge_fk" FOREIGN KEY ("tenant_id","local_date","kind") REFERENCES "public"."nudges"("tenant_id","local_date","kind") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "nudge_deliveries_target_key" ON "nudge_deliveries" USING btree ("tenant_id","local_date","kind","target");--> statement-breakpoint
ALTER TABLE "nudges" ADD CONSTRAINT "nudges_kind_check" CHECK (kind in ('daily', 'welcome'));--> statement-breakpoint
-- The scheduler's look at when each tenant was last nudged tells the morning's from the first.
GRANT SELECT (kind) ON nudges TO touchpoint_system;
