-- Each contact's latest touch (not undone) is kept on the contact by these triggers, whatever
-- writes touchpoints (/touch, imports, X ingest, COPY): statement-level, so a batch of a thousand
-- touches costs one update. An undo (undone_at set) looks the contact's latest up again.
CREATE FUNCTION touchpoints_keep_last_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE contacts c
  SET last_touch_at = n.occurred_at, last_touch_channel = n.channel,
      last_touch_direction = n.direction, last_touch_note = n.note
  FROM (
    SELECT DISTINCT ON (tenant_id, contact_id) tenant_id, contact_id, occurred_at, channel, direction, note
    FROM new_touches WHERE undone_at IS NULL
    ORDER BY tenant_id, contact_id, occurred_at DESC, created_at DESC
  ) n
  WHERE c.tenant_id = n.tenant_id AND c.id = n.contact_id
    AND (c.last_touch_at IS NULL OR c.last_touch_at <= n.occurred_at);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION touchpoints_recheck_last_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE contacts c
  SET (last_touch_at, last_touch_channel, last_touch_direction, last_touch_note) = (
    SELECT t.occurred_at, t.channel, t.direction, t.note FROM touchpoints t
    WHERE t.tenant_id = c.tenant_id AND t.contact_id = c.id AND t.undone_at IS NULL
    ORDER BY t.occurred_at DESC, t.created_at DESC LIMIT 1
  )
  WHERE (c.tenant_id, c.id) IN (SELECT tenant_id, contact_id FROM changed_touches);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER touchpoints_last_touch_insert AFTER INSERT ON touchpoints
  REFERENCING NEW TABLE AS new_touches FOR EACH STATEMENT EXECUTE FUNCTION touchpoints_keep_last_touch();
--> statement-breakpoint
CREATE TRIGGER touchpoints_last_touch_update AFTER UPDATE ON touchpoints
  REFERENCING NEW TABLE AS changed_touches FOR EACH STATEMENT EXECUTE FUNCTION touchpoints_recheck_last_touch();
--> statement-breakpoint
-- The backfill reads and writes every tenant's rows as the schema owner, whom forced Row-Level
-- Security would show none (unless a superuser): lift it for this transaction's statements only.
ALTER TABLE contacts NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE touchpoints NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
UPDATE contacts c
SET last_touch_at = l.occurred_at, last_touch_channel = l.channel,
    last_touch_direction = l.direction, last_touch_note = l.note
FROM (
  SELECT DISTINCT ON (tenant_id, contact_id) tenant_id, contact_id, occurred_at, channel, direction, note
  FROM touchpoints WHERE undone_at IS NULL
  ORDER BY tenant_id, contact_id, occurred_at DESC, created_at DESC
) l
WHERE c.tenant_id = l.tenant_id AND c.id = l.contact_id;
--> statement-breakpoint
ALTER TABLE contacts FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE touchpoints FORCE ROW LEVEL SECURITY;
