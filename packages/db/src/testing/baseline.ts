import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { NewContact, NewMention } from "@touchpoint/core";
import postgres from "postgres";
import type { Database } from "../client.js";
import { insertContacts } from "../repositories/bulk-insert.js";
import { MENTION_WRITE_COLUMNS } from "../repositories/mentions.js";

/**
 * The floor an import is measured against: the same contacts and identities written by the same
 * set-wise INSERTs in one transaction, as the schema owner — no CSV, no validation, no matching,
 * no Row-Level Security. Benchmarks only.
 */
export async function insertContactsPlain(db: Database, tenantId: string, rows: readonly NewContact[]): Promise<void> {
  const CHUNK = 500;
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += CHUNK) await insertContacts(tx, tenantId, rows.slice(i, i + CHUNK));
  });
}

const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** One value in COPY's text format: \N for null, backslash escapes for the delimiters. */
function copyCell(value: string | number | boolean | Date | null): string {
  if (value === null) return "\\N";
  if (value instanceof Date) return value.toISOString();
  return String(value).replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] ?? c);
}

function copyLine(tenantId: string, m: NewMention): string {
  const a = m.author;
  return `${[
    tenantId,
    m.platform,
    m.postId,
    a.externalUserId,
    a.handle,
    a.name,
    a.followers,
    a.following,
    a.postCount,
    a.defaultAvatar,
    a.createdAt,
    a.verified,
    m.contactId,
    m.text,
    m.url,
    m.postedAt,
    m.kind,
    m.conversationId,
  ]
    .map(copyCell)
    .join("\t")}\n`;
}

export interface MentionCopier {
  /**
   * Streams the mentions into the table with one `COPY mentions (…) FROM STDIN`, formatting them
   * as it goes (backpressure respected), and reports progress every `progressEvery` rows.
   */
  copy(
    tenantId: string,
    rows: readonly NewMention[],
    options?: { readonly progressEvery?: number; readonly onProgress?: (copied: number) => void },
  ): Promise<void>;
  close(): Promise<void>;
}

/**
 * The floor ingest is measured against: PostgreSQL's own bulk load of the same mention rows. COPY
 * FROM refuses tables under Row-Level Security, so this runs as a role that bypasses it (the
 * superuser of DATABASE_ADMIN_URL in scripts/with-postgres.sh): no RLS, no duplicate checks, no
 * contact matching, no cursor. One connection, opened before anything is timed. Benchmarks only.
 */
export async function openMentionCopier(url: string): Promise<MentionCopier> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  await client`select 1`; // connect now, not inside the timed copy
  return {
    async copy(tenantId, rows, options = {}) {
      const every = options.progressEvery ?? 0;
      const CHUNK = 500;
      function* lines() {
        for (let i = 0; i < rows.length; i += CHUNK) {
          const end = Math.min(rows.length, i + CHUNK);
          let text = "";
          for (let j = i; j < end; j++) text += copyLine(tenantId, rows[j] as NewMention);
          yield text;
          if (every > 0 && Math.floor(end / every) > Math.floor(i / every)) options.onProgress?.(end);
        }
      }
      const target = await client.unsafe(`copy mentions (${MENTION_WRITE_COLUMNS.join(", ")}) from stdin`).writable();
      await pipeline(Readable.from(lines()), target);
    },
    close: () => client.end({ timeout: 5 }),
  };
}
