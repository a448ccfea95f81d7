CREATE TABLE "own_posts" (
	"tenant_id" uuid NOT NULL,
	"platform" text NOT NULL,
	"post_id" text NOT NULL,
	"posted_at" timestamp with time zone NOT NULL,
	"conversation_id" text,
	"replies_to_post_id" text,
	"replies_to_user_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "own_posts_tenant_id_platform_post_id_pk" PRIMARY KEY("tenant_id","platform","post_id"),
	CONSTRAINT "own_posts_platform_check" CHECK (platform in ('x', 'bluesky', 'mastodon'))
);
--> statement-breakpoint
CREATE TABLE "request_budgets" (
	"budget_key" text NOT NULL,
	"endpoint" text NOT NULL,
	"limit" integer,
	"remaining" integer,
	"reset_at" timestamp with time zone,
	"blocked_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "request_budgets_budget_key_endpoint_pk" PRIMARY KEY("budget_key","endpoint")
);
--> statement-breakpoint
ALTER TABLE "social_accounts" ADD COLUMN "mentions_next_token" text;--> statement-breakpoint
ALTER TABLE "social_accounts" ADD COLUMN "mentions_pending_newest_id" text;--> statement-breakpoint
ALTER TABLE "social_accounts" ADD COLUMN "own_posts_next_token" text;--> statement-breakpoint
ALTER TABLE "social_accounts" ADD COLUMN "own_posts_pending_newest_id" text;--> statement-breakpoint
ALTER TABLE "social_accounts" ADD COLUMN "poll_interval_seconds" integer;--> statement-breakpoint
ALTER TABLE "own_posts" ADD CONSTRAINT "own_posts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "own_posts_replies_to_idx" ON "own_posts" USING btree ("tenant_id","platform","replies_to_post_id");--> statement-breakpoint
CREATE INDEX "own_posts_conversation_idx" ON "own_posts" USING btree ("tenant_id","platform","conversation_id");--> statement-breakpoint
CREATE INDEX "own_posts_posted_at_idx" ON "own_posts" USING btree ("tenant_id","posted_at");--> statement-breakpoint
CREATE INDEX "mentions_conversation_idx" ON "mentions" USING btree ("tenant_id","platform","conversation_id");