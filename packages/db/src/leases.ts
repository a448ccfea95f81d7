import { sql } from "drizzle-orm";
import { type Database, queryRows } from "./client.js";
import { asSystem } from "./scopes.js";

/**
 * Ends every lease now. Only for a database one process opens at a time (the embedded default):
 * a lease found at start-up belongs to a process that died, and waiting it out (a minute for a
 * nudge's delivery, five for an account's poll) would hold that work back for nothing. The lease
 * owner stays, so the next attempt still knows the one before it never finished.
 */
export async function expireLeases(db: Database, now: Date): Promise<{ deliveries: number; accounts: number }> {
  return asSystem(db, async (tx) => {
    const at = now.toISOString();
    const deliveries = await queryRows(
      tx,
      sql`update nudge_deliveries set lease_expires_at = ${at}::timestamptz
          where status = 'pending' and lease_expires_at > ${at}::timestamptz returning id`,
    );
    const accounts = await queryRows(
      tx,
      sql`update social_accounts set lease_expires_at = ${at}::timestamptz
          where lease_expires_at > ${at}::timestamptz returning id`,
    );
    return { deliveries: deliveries.length, accounts: accounts.length };
  });
}
