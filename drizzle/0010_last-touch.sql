ALTER TABLE "contacts" ADD COLUMN "last_touch_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "last_touch_channel" text;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "last_touch_direction" text;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "last_touch_note" text;--> statement-breakpoint
CREATE INDEX "mentions_posted_idx" ON "mentions" USING btree ("tenant_id","posted_at");