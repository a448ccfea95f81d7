CREATE TABLE "nudge_deliveries" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"local_date" date NOT NULL,
	"target" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"last_error" text,
	"external_ref" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "nudge_deliveries_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "nudge_deliveries_status_check" CHECK (status in ('pending', 'sent', 'dead'))
);
--> statement-breakpoint
CREATE TABLE "nudges" (
	"tenant_id" uuid NOT NULL,
	"local_date" date NOT NULL,
	"message" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "nudges_tenant_id_local_date_pk" PRIMARY KEY("tenant_id","local_date")
);
--> statement-breakpoint
ALTER TABLE "nudge_deliveries" ADD CONSTRAINT "nudge_deliveries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nudge_deliveries" ADD CONSTRAINT "nudge_deliveries_nudge_fk" FOREIGN KEY ("tenant_id","local_date") REFERENCES "public"."nudges"("tenant_id","local_date") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nudges" ADD CONSTRAINT "nudges_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "nudge_deliveries_target_key" ON "nudge_deliveries" USING btree ("tenant_id","local_date","target");--> statement-breakpoint
CREATE INDEX "nudge_deliveries_due_idx" ON "nudge_deliveries" USING btree ("next_attempt_at") WHERE "nudge_deliveries"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "nudge_deliveries_dead_idx" ON "nudge_deliveries" USING btree ("tenant_id") WHERE "nudge_deliveries"."status" = 'dead';