import { type SQL, sql } from "drizzle-orm";
import { type Database, queryRows, type Transaction } from "./client.js";
import { envelopeKeyId, type SecretBox } from "./crypto.js";
import { asSystem } from "./scopes.js";

/**
 * The key registry (sealing_keys) and re-sealing. The registry names the keys stored values are
 * sealed with, each with a probe value sealed by it: a start with a key it does not name, while
 * it names others, is refused at once instead of failing on the first request that opens a
 * token; rotate-key adds the new key before re-sealing and removes the old ones once no value is
 * left under them.
 */

/** What each registered key sealed: opening it proves the key itself, not just its id. */
const PROBE = "touchpoint sealing-key probe";

/** Registry decisions go one at a time, so two replicas starting together agree on one answer. */
const REGISTRY_LOCK = 7_314_001_418;

export class SealingKeyMismatch extends Error {
  constructor(
    /** The id of the key that was given. */
    readonly keyId: string,
    /** The keys the database's values are sealed with, as far as it knows. */
    readonly expected: readonly string[],
  ) {
    super(
      `the encryption key (key id ${keyId}) is not the key this database's values were sealed with ` +
        `(key id ${expected.join(", ") || "unknown"})`,
    );
    this.name = "SealingKeyMismatch";
  }
}

export type SealingKeyCheck =
  /** The key is registered and opens its probe. */
  | { readonly kind: "known" }
  /**
   * No key was registered yet (a new database, or one from before the registry): this one is now.
   * `existing` says whether sealed values were already stored (and opened with it).
   */
  | { readonly kind: "registered"; readonly existing: boolean }
  /** A rotation is under way: the new key was registered beside the previous one this box also holds. */
  | { readonly kind: "rotating"; readonly previous: readonly string[] };

interface RegisteredKey extends Record<string, unknown> {
  readonly key_id: string;
  readonly sealed_probe: string;
}

async function lockedRegistry(tx: Transaction): Promise<RegisteredKey[]> {
  await tx.execute(sql`select pg_advisory_xact_lock(${REGISTRY_LOCK})`);
  return queryRows<RegisteredKey>(tx, sql`select key_id, sealed_probe from sealing_keys order by created_at, key_id`);
}

async function register(tx: Transaction, box: SecretBox): Promise<void> {
  await tx.execute(
    sql`insert into sealing_keys (key_id, sealed_probe) values (${box.keyId}, ${box.seal(PROBE)}) on conflict (key_id) do nothing`,
  );
}

function probeOpens(box: SecretBox, row: RegisteredKey): boolean {
  try {
    return box.open(row.sealed_probe) === PROBE;
  } catch {
    return false;
  }
}

/**
 * The start-up check: is `box`'s key the one the stored values are sealed with? Throws
 * SealingKeyMismatch when it is not; registers the key on a first start, and beside a previous
 * key the box also holds during a rotation.
 */
export function checkSealingKey(db: Database, box: SecretBox): Promise<SealingKeyCheck> {
  return asSystem(db, async (tx) => {
    const registered = await lockedRegistry(tx);
    const held = registered.filter((row) => box.keyIds.includes(row.key_id));
    // Ids are hashes of keys: a registered id with a probe this key cannot open is not this key.
    if (held.some((row) => !probeOpens(box, row))) {
      throw new SealingKeyMismatch(
        box.keyId,
        registered.map((row) => row.key_id),
      );
    }
    if (held.some((row) => row.key_id === box.keyId)) return { kind: "known" };
    if (held.length > 0) {
      await register(tx, box);
      return { kind: "rotating", previous: held.map((row) => row.key_id) };
    }
    if (registered.length > 0) {
      throw new SealingKeyMismatch(
        box.keyId,
        registered.map((row) => row.key_id),
      );
    }
    // Nothing registered: a new database, or values sealed before the registry. One stored value
    // tells which key they were sealed with (there was only ever one).
    const sample = await anySealedValue(tx);
    if (sample !== undefined && box.keyIdOpening(sample) === undefined) {
      throw new SealingKeyMismatch(box.keyId, [envelopeKeyId(sample) ?? "unknown: sealed before key ids"]);
    }
    await register(tx, box);
    return { kind: "registered", existing: sample !== undefined };
  });
}

/** The keys the registry names, in the order they were registered. */
export function registeredSealingKeys(db: Database): Promise<string[]> {
  return asSystem(db, async (tx) => (await lockedRegistry(tx)).map((row) => row.key_id));
}

/** Registers `box`'s sealing key (rotate-key does, before it seals anything under it). */
export function registerSealingKey(db: Database, box: SecretBox): Promise<void> {
  return asSystem(db, async (tx) => {
    await lockedRegistry(tx);
    await register(tx, box);
  });
}

/** Forgets every key but `box`'s sealing key: once nothing is sealed under them. Returns their ids. */
export function retireOtherSealingKeys(db: Database, box: SecretBox): Promise<string[]> {
  return asSystem(db, async (tx) => {
    await lockedRegistry(tx);
    await register(tx, box);
    const removed = await queryRows<{ key_id: string }>(
      tx,
      sql`delete from sealing_keys where key_id <> ${box.keyId} returning key_id`,
    );
    return removed.map((row) => row.key_id);
  });
}

/** Inside a system-path transaction, become `tenantId`'s tenant path for what follows. */
async function becomeTenant(tx: Transaction, tenantId: string): Promise<void> {
  await tx.execute(
    sql`select set_config('role', 'touchpoint_app', true), set_config('app.tenant_id', ${tenantId}, true)`,
  );
}

async function becomeSystem(tx: Transaction): Promise<void> {
  await tx.execute(sql`select set_config('role', 'touchpoint_system', true), set_config('app.tenant_id', '', true)`);
}

/** Any one sealed value, wherever it is stored; the tenants' own tables only when no installation has one. */
async function anySealedValue(tx: Transaction): Promise<string | undefined> {
  const [installation] = await queryRows<{ sealed: string }>(
    tx,
    sql`select secret as sealed from installations limit 1`,
  );
  if (installation) return installation.sealed;
  const tenants = await queryRows<{ id: string }>(tx, sql`select id from tenants order by id`);
  try {
    for (const { id } of tenants) {
      await becomeTenant(tx, id);
      const [row] = await queryRows<{ sealed: string }>(
        tx,
        sql`(select credentials as sealed from social_accounts limit 1)
            union all (select reference from install_scopes limit 1) limit 1`,
      );
      if (row) return row.sealed;
    }
    return undefined;
  } finally {
    await becomeSystem(tx);
  }
}

/** Where sealed values are stored; installations on the system path, the rest on the tenant path. */
export const SEALED_COLUMNS = [
  "installations.secret",
  "social_accounts.credentials",
  "install_scopes.reference",
] as const;
export type SealedColumn = (typeof SEALED_COLUMNS)[number];

interface SealedColumnSpec {
  readonly column: SealedColumn;
  readonly path: "system" | "tenant";
  /** Up to `limit` of the tenant's values after `after`, in key order. */
  select(tenantId: string, after: string | null, limit: number): SQL;
  /** Replaces each value that is still the one read (a server may have written a newer one since). */
  update(tenantId: string, keys: string[], read: string[], resealed: string[]): SQL;
}

const SPECS: readonly SealedColumnSpec[] = [
  {
    column: "installations.secret",
    path: "system",
    select: (tenantId, after, limit) => sql`
      select id::text as key, secret as sealed from installations
      where tenant_id = ${tenantId} and (${after}::uuid is null or id > ${after}::uuid)
      order by id limit ${limit}`,
    update: (tenantId, keys, read, resealed) => sql`
      update installations as t set secret = v.resealed
      from unnest(${sql.param(keys)}::uuid[], ${sql.param(read)}::text[], ${sql.param(resealed)}::text[]) as v(key, read, resealed)
      where t.tenant_id = ${tenantId} and t.id = v.key and t.secret = v.read
      returning t.id`,
  },
  {
    column: "social_accounts.credentials",
    path: "tenant",
    select: (tenantId, after, limit) => sql`
      select id::text as key, credentials as sealed from social_accounts
      where tenant_id = ${tenantId} and (${after}::uuid is null or id > ${after}::uuid)
      order by id limit ${limit}`,
    update: (tenantId, keys, read, resealed) => sql`
      update social_accounts as t set credentials = v.resealed
      from unnest(${sql.param(keys)}::uuid[], ${sql.param(read)}::text[], ${sql.param(resealed)}::text[]) as v(key, read, resealed)
      where t.tenant_id = ${tenantId} and t.id = v.key and t.credentials = v.read
      returning t.id`,
  },
  {
    column: "install_scopes.reference",
    path: "tenant",
    select: (tenantId, after, limit) => sql`
      select conversation_id as key, reference as sealed from install_scopes
      where tenant_id = ${tenantId} and (${after}::text is null or conversation_id > ${after}::text)
      order by conversation_id limit ${limit}`,
    update: (tenantId, keys, read, resealed) => sql`
      update install_scopes as t set reference = v.resealed
      from unnest(${sql.param(keys)}::text[], ${sql.param(read)}::text[], ${sql.param(resealed)}::text[]) as v(key, read, resealed)
      where t.tenant_id = ${tenantId} and t.conversation_id = v.key and t.reference = v.read
      returning t.conversation_id`,
  },
];

export interface ResealTally {
  /** Sealed again under the box's key (or, in a dry run, would be). */
  resealed: number;
  /** Already under the box's key: left alone. */
  current: number;
  /** Under none of the box's keys: left alone, and the rotation is not finished. */
  unreadable: number;
}

export interface ResealReport {
  readonly dryRun: boolean;
  readonly tenants: number;
  readonly columns: Readonly<Record<SealedColumn, ResealTally>>;
  /** The key ids named by unreadable values ("v1" for values sealed before key ids). */
  readonly unreadableKeyIds: readonly string[];
}

export interface ResealProgress {
  readonly tenantsDone: number;
  readonly tenantsTotal: number;
  readonly resealed: number;
}

/**
 * Seals every stored value again under `box`'s key, reading each with whichever of the box's keys
 * sealed it. A tenant at a time, each in transactions of at most `batchSize` values per column;
 * a value already under the key is left alone, so a run cut short can simply be run again. A
 * value is only replaced if it is still what was read, so a server writing a token meanwhile
 * (sealed under the new key, if it holds both) is never overwritten with an older one.
 */
export async function resealSecrets(
  db: Database,
  box: SecretBox,
  options: {
    readonly batchSize?: number;
    /** Counts what would change and writes nothing. */
    readonly dryRun?: boolean;
    readonly onProgress?: (progress: ResealProgress) => void;
  } = {},
): Promise<ResealReport> {
  const batchSize = options.batchSize ?? 500;
  const dryRun = options.dryRun ?? false;
  const columns = Object.fromEntries(
    SEALED_COLUMNS.map((column) => [column, { resealed: 0, current: 0, unreadable: 0 }]),
  ) as Record<SealedColumn, ResealTally>;
  const unreadableKeyIds = new Set<string>();
  const tenants = await asSystem(db, (tx) => queryRows<{ id: string }>(tx, sql`select id from tenants order by id`));
  let resealedTotal = 0;
  options.onProgress?.({ tenantsDone: 0, tenantsTotal: tenants.length, resealed: 0 });

  for (const [index, { id: tenantId }] of tenants.entries()) {
    const cursors = new Map<SealedColumn, string | null>(SPECS.map((spec) => [spec.column, null]));
    while (cursors.size > 0) {
      await asSystem(db, async (tx) => {
        for (const spec of SPECS) {
          if (!cursors.has(spec.column)) continue;
          if (spec.path === "tenant") await becomeTenant(tx, tenantId);
          else await becomeSystem(tx);
          const rows = await queryRows<{ key: string; sealed: string }>(
            tx,
            spec.select(tenantId, cursors.get(spec.column) ?? null, batchSize),
          );
          const tally = columns[spec.column];
          const keys: string[] = [];
          const read: string[] = [];
          const resealed: string[] = [];
          for (const row of rows) {
            if (box.isCurrent(row.sealed)) {
              tally.current++;
              continue;
            }
            let plaintext: string;
            try {
              plaintext = box.open(row.sealed);
            } catch {
              tally.unreadable++;
              unreadableKeyIds.add(envelopeKeyId(row.sealed) ?? "v1");
              continue;
            }
            keys.push(row.key);
            read.push(row.sealed);
            resealed.push(box.seal(plaintext));
          }
          let written = keys.length;
          if (keys.length > 0 && !dryRun) {
            written = (await queryRows(tx, spec.update(tenantId, keys, read, resealed))).length;
          }
          tally.resealed += written;
          resealedTotal += written;
          const last = rows.at(-1);
          if (rows.length < batchSize || !last) cursors.delete(spec.column);
          else cursors.set(spec.column, last.key);
        }
      });
    }
    options.onProgress?.({ tenantsDone: index + 1, tenantsTotal: tenants.length, resealed: resealedTotal });
  }
  return { dryRun, tenants: tenants.length, columns, unreadableKeyIds: [...unreadableKeyIds].sort() };
}
