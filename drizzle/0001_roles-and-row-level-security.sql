-- Roles, grants and Row-Level Security: the second wall between tenants.
--
-- touchpoint_app     every unit of tenant work runs as this role (SET LOCAL ROLE) with
--                    app.tenant_id set; it owns nothing and cannot bypass RLS, so its queries
--                    see exactly one tenant whichever login user the app connects as.
-- touchpoint_system  the narrow cross-tenant path (the tenant directory); its policies name
--                    exactly the rows and commands it may touch.
-- Roles are cluster-wide, so they are created only when missing.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'touchpoint_app') THEN
    CREATE ROLE touchpoint_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'touchpoint_system') THEN
    CREATE ROLE touchpoint_system NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
END
$$;
--> statement-breakpoint
GRANT touchpoint_app, touchpoint_system TO CURRENT_USER;
--> statement-breakpoint
CREATE FUNCTION touchpoint_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO touchpoint_app, touchpoint_system;
--> statement-breakpoint
GRANT SELECT, UPDATE ON tenants TO touchpoint_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON tenants TO touchpoint_system;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE
  ON members, contacts, contact_identities, touchpoints, mentions, social_accounts
  TO touchpoint_app;
--> statement-breakpoint
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_self ON tenants TO touchpoint_app
  USING (id = touchpoint_current_tenant()) WITH CHECK (id = touchpoint_current_tenant());
--> statement-breakpoint
CREATE POLICY tenant_directory_read ON tenants FOR SELECT TO touchpoint_system USING (true);
--> statement-breakpoint
CREATE POLICY tenant_directory_create ON tenants FOR INSERT TO touchpoint_system WITH CHECK (true);
--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['members', 'contacts', 'contact_identities', 'touchpoints', 'mentions', 'social_accounts']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I TO touchpoint_app '
      'USING (tenant_id = touchpoint_current_tenant()) WITH CHECK (tenant_id = touchpoint_current_tenant())',
      t);
  END LOOP;
END
$$;
--> statement-breakpoint
-- /readyz compares the applied migrations with the shipped ones, as the app role.
GRANT USAGE ON SCHEMA drizzle TO touchpoint_app;
--> statement-breakpoint
GRANT SELECT ON drizzle.__drizzle_migrations TO touchpoint_app;
