CREATE TABLE "contact_identities" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"contact_id" uuid NOT NULL,
	"platform" text NOT NULL,
	"handle" text NOT NULL,
	"external_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contact_identities_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "contact_identities_platform_check" CHECK (platform in ('x', 'email', 'bluesky', 'mastodon', 'slack'))
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"segment" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"owner" text,
	"cadence_days" integer,
	"notes" text,
	"archived" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contacts_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "contacts_cadence_days_check" CHECK ("contacts"."cadence_days" between 1 and 3650)
);
--> statement-breakpoint
CREATE TABLE "members" (
	"tenant_id" uuid NOT NULL,
	"platform_user_id" text NOT NULL,
	"role" text DEFAULT 'member' NOT NULL,
	"display_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "members_tenant_id_platform_user_id_pk" PRIMARY KEY("tenant_id","platform_user_id"),
	CONSTRAINT "members_role_check" CHECK (role in ('admin', 'member'))
);
--> statement-breakpoint
CREATE TABLE "mentions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"platform" text NOT NULL,
	"post_id" text NOT NULL,
	"author_external_id" text NOT NULL,
	"author_handle" text NOT NULL,
	"author_name" text,
	"author_followers" integer,
	"author_following" integer,
	"author_post_count" integer,
	"author_default_avatar" boolean,
	"author_created_at" timestamp with time zone,
	"author_verified" boolean,
	"contact_id" uuid,
	"text" text NOT NULL,
	"url" text NOT NULL,
	"posted_at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"conversation_id" text,
	"status" text DEFAULT 'needs_reply' NOT NULL,
	"snoozed_until" timestamp with time zone,
	"assignee" text,
	"replied_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mentions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "mentions_platform_check" CHECK (platform in ('x', 'bluesky', 'mastodon')),
	CONSTRAINT "mentions_kind_check" CHECK (kind in ('mention', 'reply', 'quote')),
	CONSTRAINT "mentions_status_check" CHECK (status in ('needs_reply', 'replied', 'dismissed', 'snoozed'))
);
--> statement-breakpoint
CREATE TABLE "social_accounts" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"platform" text NOT NULL,
	"handle" text NOT NULL,
	"external_user_id" text NOT NULL,
	"credentials" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"paused_reason" text,
	"mentions_since_id" text,
	"own_posts_since_id" text,
	"next_poll_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "social_accounts_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "social_accounts_platform_check" CHECK (platform in ('x', 'bluesky', 'mastodon')),
	CONSTRAINT "social_accounts_status_check" CHECK (status in ('active', 'paused'))
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"platform" text NOT NULL,
	"external_id" text NOT NULL,
	"enterprise_id" text,
	"name" text NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"nudge_time" text DEFAULT '09:00' NOT NULL,
	"nudge_channel" text,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenants_platform_check" CHECK (platform in ('slack', 'teams')),
	CONSTRAINT "tenants_nudge_time_check" CHECK ("tenants"."nudge_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$')
);
--> statement-breakpoint
CREATE TABLE "touchpoints" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"contact_id" uuid NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"channel" text NOT NULL,
	"direction" text NOT NULL,
	"note" text,
	"logged_by" text NOT NULL,
	"source" text NOT NULL,
	"source_ref" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"undone_at" timestamp with time zone,
	CONSTRAINT "touchpoints_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "touchpoints_channel_check" CHECK (channel in ('x_mention', 'x_reply', 'x_quote', 'x_dm', 'call', 'email', 'meeting', 'event', 'donation', 'note')),
	CONSTRAINT "touchpoints_direction_check" CHECK (direction in ('inbound', 'outbound')),
	CONSTRAINT "touchpoints_source_check" CHECK (source in ('slack', 'teams', 'x', 'cli', 'import', 'demo'))
);
--> statement-breakpoint
ALTER TABLE "contact_identities" ADD CONSTRAINT "contact_identities_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_identities" ADD CONSTRAINT "contact_identities_contact_fk" FOREIGN KEY ("tenant_id","contact_id") REFERENCES "public"."contacts"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentions" ADD CONSTRAINT "mentions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentions" ADD CONSTRAINT "mentions_contact_fk" FOREIGN KEY ("tenant_id","contact_id") REFERENCES "public"."contacts"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_accounts" ADD CONSTRAINT "social_accounts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "touchpoints" ADD CONSTRAINT "touchpoints_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "touchpoints" ADD CONSTRAINT "touchpoints_contact_fk" FOREIGN KEY ("tenant_id","contact_id") REFERENCES "public"."contacts"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "contact_identities_handle_key" ON "contact_identities" USING btree ("tenant_id","platform","handle");--> statement-breakpoint
CREATE UNIQUE INDEX "contact_identities_external_user_key" ON "contact_identities" USING btree ("tenant_id","platform","external_user_id") WHERE "contact_identities"."external_user_id" is not null;--> statement-breakpoint
CREATE INDEX "contact_identities_any_handle_idx" ON "contact_identities" USING btree ("tenant_id","handle");--> statement-breakpoint
CREATE INDEX "contact_identities_contact_idx" ON "contact_identities" USING btree ("tenant_id","contact_id");--> statement-breakpoint
CREATE INDEX "contacts_name_idx" ON "contacts" USING btree ("tenant_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "mentions_post_key" ON "mentions" USING btree ("tenant_id","platform","post_id");--> statement-breakpoint
CREATE INDEX "mentions_status_age_idx" ON "mentions" USING btree ("tenant_id","status","posted_at");--> statement-breakpoint
CREATE INDEX "mentions_contact_idx" ON "mentions" USING btree ("tenant_id","contact_id");--> statement-breakpoint
CREATE UNIQUE INDEX "social_accounts_user_key" ON "social_accounts" USING btree ("tenant_id","platform","external_user_id");--> statement-breakpoint
CREATE INDEX "social_accounts_due_idx" ON "social_accounts" USING btree ("next_poll_at") WHERE "social_accounts"."status" = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "tenants_platform_external_id_key" ON "tenants" USING btree ("platform","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "touchpoints_source_ref_key" ON "touchpoints" USING btree ("tenant_id","source_ref");--> statement-breakpoint
CREATE INDEX "touchpoints_contact_recent_idx" ON "touchpoints" USING btree ("tenant_id","contact_id","occurred_at","created_at") WHERE "touchpoints"."undone_at" is null;