CREATE TABLE "install_scopes" (
	"tenant_id" uuid NOT NULL,
	"conversation_id" text NOT NULL,
	"scope" text NOT NULL,
	"reference" text NOT NULL,
	"installed_by" text,
	"removed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "install_scopes_tenant_id_conversation_id_pk" PRIMARY KEY("tenant_id","conversation_id"),
	CONSTRAINT "install_scopes_scope_check" CHECK (scope in ('team', 'groupChat', 'personal'))
);
--> statement-breakpoint
CREATE TABLE "sealing_keys" (
	"key_id" text PRIMARY KEY NOT NULL,
	"sealed_probe" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "nudge_deliveries" DROP CONSTRAINT "nudge_deliveries_status_check";--> statement-breakpoint
ALTER TABLE "install_scopes" ADD CONSTRAINT "install_scopes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "nudge_deliveries_unknown_idx" ON "nudge_deliveries" USING btree ("tenant_id") WHERE "nudge_deliveries"."status" = 'unknown';--> statement-breakpoint
ALTER TABLE "nudge_deliveries" ADD CONSTRAINT "nudge_deliveries_status_check" CHECK (status in ('pending', 'sent', 'dead', 'unknown'));