import { isValidCadence, MAX_CADENCE_DAYS } from "../domain/cadence.js";
import {
  type Contact,
  type ContactPatch,
  contactProblems,
  type NewContact,
  normalizeSegment,
  parseTagList,
  sameTags,
} from "../domain/contact.js";
import { formatIdentity, type Identity, normalizeEmail, normalizeXHandle } from "../domain/identity.js";
import { describeUnstorable } from "../domain/text.js";
import type { ContactRepository, Storage } from "../ports.js";
import { err, ok, type Result } from "../result.js";

export const CONTACT_CSV_COLUMNS = [
  "name",
  "email",
  "x_handle",
  "segment",
  "tags",
  "owner",
  "cadence_days",
  "notes",
] as const;
type Column = (typeof CONTACT_CSV_COLUMNS)[number];

export interface CsvRecord {
  /** The line the record starts on in the file (1 is the header). */
  readonly line: number;
  readonly values: readonly string[];
}

export interface RowProblem {
  readonly line: number;
  readonly message: string;
}

export class ImportRejected {
  readonly kind = "import_rejected";
  readonly message: string;
  constructor(readonly problems: readonly RowProblem[]) {
    this.message = `${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing was imported.`;
  }
}

export interface ImportReport {
  readonly rows: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly dryRun: boolean;
  /** The organization's first contacts: it had none before (its first nudge may follow at once). */
  readonly first: boolean;
}

/** Contacts written so far, of those the file creates or changes. */
export interface ImportProgress {
  readonly done: number;
  readonly total: number;
}

const WRITE_BATCH = 500;

/**
 * Imports a contact list: the whole file is checked first, and a file with any bad row imports
 * nothing and lists every bad row. Rows are matched to existing contacts by X handle, then email,
 * then exact name, so importing the same file twice changes nothing. Everything is written in one
 * transaction.
 */
export async function importContacts(
  deps: { readonly storage: Storage },
  input: {
    readonly tenantId: string;
    readonly header: readonly string[];
    readonly records: readonly CsvRecord[];
    readonly dryRun?: boolean;
    readonly onProgress?: (progress: ImportProgress) => void;
  },
): Promise<Result<ImportReport, ImportRejected>> {
  const columns = readHeader(input.header);
  if (!columns.ok) return err(new ImportRejected(columns.error));
  const parsed = parseRows(columns.value, input.records);

  return deps.storage.withTenant(input.tenantId, async (repos) => {
    // Rows that read well are still checked against stored contacts, so one pass reports every bad row.
    const existing = await repos.contacts.list({ includeArchived: true });
    const plan = planImport(parsed.rows, existing);
    const problems = [...parsed.problems, ...plan.problems].sort((a, b) => a.line - b.line);
    if (problems.length > 0) return err(new ImportRejected(problems));
    const report: ImportReport = {
      rows: parsed.rows.length,
      created: plan.creates.length,
      updated: plan.updates.length,
      unchanged: parsed.rows.length - plan.creates.length - plan.updates.length,
      dryRun: input.dryRun ?? false,
      first: existing.length === 0 && plan.creates.length > 0,
    };
    if (!report.dryRun) await writePlan(repos.contacts, plan, input.onProgress);
    return ok(report);
  });
}

// ---------------------------------------------------------------------------------------------

function readHeader(header: readonly string[]): Result<Map<Column, number>, RowProblem[]> {
  const problems: RowProblem[] = [];
  const columns = new Map<Column, number>();
  header.forEach((raw, index) => {
    const name = raw.trim().toLowerCase().replace(/\s+/g, "_");
    const unstorable = describeUnstorable(raw);
    if (unstorable !== undefined) {
      problems.push({ line: 1, message: `column ${index + 1} of the header holds ${unstorable}` });
    } else if (!(CONTACT_CSV_COLUMNS as readonly string[]).includes(name)) {
      problems.push({
        line: 1,
        message: `unknown column "${raw.trim()}"; the columns are ${CONTACT_CSV_COLUMNS.join(",")}`,
      });
    } else if (columns.has(name as Column)) {
      problems.push({ line: 1, message: `column "${name}" appears twice` });
    } else {
      columns.set(name as Column, index);
    }
  });
  if (!columns.has("name")) problems.push({ line: 1, message: 'the header needs a "name" column' });
  return problems.length > 0 ? err(problems) : ok(columns);
}

interface ParsedRow {
  readonly line: number;
  readonly contact: NewContact & { readonly identities: readonly Identity[]; readonly tags: readonly string[] };
  readonly x: string | undefined;
  readonly email: string | undefined;
}

function parseRows(
  columns: Map<Column, number>,
  records: readonly CsvRecord[],
): { rows: ParsedRow[]; problems: RowProblem[] } {
  const rows: ParsedRow[] = [];
  const problems: RowProblem[] = [];
  const seen = new Map<string, number>();
  const width = Math.max(...columns.values()) + 1;

  for (const { line, values } of records) {
    if (values.every((v) => v.trim() === "")) continue;
    const bad = (message: string) => problems.push({ line, message });
    if (values.length !== width) {
      bad(`has ${values.length} fields; the header has ${width}`);
      continue;
    }
    const get = (column: Column): string => {
      const index = columns.get(column);
      return index === undefined ? "" : (values[index] ?? "").trim();
    };
    // Checked on the cells as written, before anything reads them: the database would refuse the
    // row at the write (and with it the whole file), after a dry run had passed it.
    const unstorable = [...columns].flatMap(([column, index]) => {
      const found = describeUnstorable(values[index] ?? "");
      return found === undefined ? [] : [`the ${column} column holds ${found}`];
    });
    if (unstorable.length > 0) {
      for (const problem of unstorable) bad(problem);
      continue;
    }
    const before = problems.length;

    const name = get("name").replace(/\s+/g, " ");
    let x: string | undefined;
    if (get("x_handle") !== "") {
      const handle = normalizeXHandle(get("x_handle"));
      if (handle.ok) x = handle.value;
      else bad(`x_handle ${handle.error}`);
    }
    let email: string | undefined;
    if (get("email") !== "") {
      const address = normalizeEmail(get("email"));
      if (address.ok) email = address.value;
      else bad(`email ${address.error}`);
    }
    let cadenceDays: number | null = null;
    const cadenceText = get("cadence_days");
    if (cadenceText !== "") {
      const days = /^\d+$/.test(cadenceText) ? Number(cadenceText) : Number.NaN;
      if (isValidCadence(days)) cadenceDays = days;
      else bad(`cadence_days "${cadenceText}" must be a whole number of days from 1 to ${MAX_CADENCE_DAYS}`);
    }
    const identities: Identity[] = [];
    if (x !== undefined) identities.push({ platform: "x", handle: x, externalUserId: null });
    if (email !== undefined) identities.push({ platform: "email", handle: email, externalUserId: null });
    const contact = {
      name,
      segment: normalizeSegment(get("segment")),
      tags: parseTagList(get("tags")),
      owner: get("owner") || null,
      cadenceDays,
      notes: get("notes") || null,
      identities,
    };
    for (const problem of contactProblems(contact)) bad(problem);
    if ((contact.segment?.length ?? 0) > 100) bad("segment is longer than 100 characters");

    // The same person twice in one file would make a re-import ambiguous.
    const keys = [
      x && `x:${x}`,
      email && `email:${email}`,
      identities.length === 0 && name !== "" && `name:${name.toLowerCase()}`,
    ].filter((k): k is string => typeof k === "string");
    for (const key of keys) {
      const earlier = seen.get(key);
      if (earlier !== undefined) bad(`${describeKey(key)} is also on line ${earlier}`);
      else seen.set(key, line);
    }
    if (problems.length === before) rows.push({ line, contact, x, email });
  }
  return { rows, problems };
}

function describeKey(key: string): string {
  const [kind, value] = [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)];
  if (kind === "x") return `x_handle @${value}`;
  if (kind === "email") return `email ${value}`;
  return `the name "${value}" (with no email or x_handle to tell them apart)`;
}

// ---------------------------------------------------------------------------------------------

interface ImportPlan {
  readonly creates: NewContact[];
  readonly updates: { readonly id: string; readonly patch: ContactPatch; readonly identities: Identity[] }[];
  readonly problems: RowProblem[];
}

function planImport(rows: readonly ParsedRow[], existing: readonly Contact[]): ImportPlan {
  const byIdentity = new Map<string, Contact>();
  const byName = new Map<string, Contact[]>();
  for (const contact of existing) {
    for (const identity of contact.identities) byIdentity.set(`${identity.platform}:${identity.handle}`, contact);
    const key = contact.name.toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), contact]);
  }

  const plan: ImportPlan = { creates: [], updates: [], problems: [] };
  const claimed = new Map<string, number>();
  for (const row of rows) {
    const match = matchRow(row, byIdentity, byName);
    if (!match.ok) {
      plan.problems.push({ line: row.line, message: match.error });
      continue;
    }
    const contact = match.value;
    if (contact === undefined) {
      plan.creates.push(row.contact);
      continue;
    }
    const earlier = claimed.get(contact.id);
    if (earlier !== undefined) {
      plan.problems.push({ line: row.line, message: `updates ${contact.name}, as line ${earlier} does too` });
      continue;
    }
    claimed.set(contact.id, row.line);
    const conflict = row.contact.identities.find((identity) =>
      contact.identities.some((held) => held.platform === identity.platform && held.handle !== identity.handle),
    );
    if (conflict) {
      const held = contact.identities.find((h) => h.platform === conflict.platform);
      plan.problems.push({
        line: row.line,
        message: `${contact.name} already has ${formatIdentity(held ?? conflict)}; the file says ${formatIdentity(conflict)}`,
      });
      continue;
    }
    const change = changeFor(contact, row.contact);
    if (change) plan.updates.push({ id: contact.id, ...change });
  }
  return plan;
}

function matchRow(
  row: ParsedRow,
  byIdentity: Map<string, Contact>,
  byName: Map<string, Contact[]>,
): Result<Contact | undefined, string> {
  const viaX = row.x === undefined ? undefined : byIdentity.get(`x:${row.x}`);
  const viaEmail = row.email === undefined ? undefined : byIdentity.get(`email:${row.email}`);
  if (viaX && viaEmail && viaX.id !== viaEmail.id) {
    return err(`x_handle @${row.x} belongs to ${viaX.name} but email ${row.email} belongs to ${viaEmail.name}`);
  }
  if (viaX ?? viaEmail) return ok(viaX ?? viaEmail);
  // No identity known yet: an existing contact of exactly this name, with no other identity on
  // the same platforms, is the same person (added by hand in chat, now imported from the CRM).
  const named = (byName.get(row.contact.name.toLowerCase()) ?? []).filter(
    (contact) => !contact.identities.some((held) => row.contact.identities.some((i) => i.platform === held.platform)),
  );
  // A row with nothing but a name that fits several contacts would make a new one on every import.
  if (named.length > 1 && row.contact.identities.length === 0) {
    return err(`${named.length} contacts are named ${row.contact.name}; add an email or x_handle to say which`);
  }
  return ok(named.length === 1 ? named[0] : undefined);
}

function changeFor(
  contact: Contact,
  row: ParsedRow["contact"],
): { patch: ContactPatch; identities: Identity[] } | undefined {
  // An empty cell keeps what is stored: a sparse export never erases what the team typed in chat.
  const patch: { -readonly [K in keyof ContactPatch]: ContactPatch[K] } = {};
  if (row.name !== contact.name) patch.name = row.name;
  if (row.segment && row.segment !== contact.segment) patch.segment = row.segment;
  if (row.owner && row.owner !== contact.owner) patch.owner = row.owner;
  if (row.cadenceDays && row.cadenceDays !== contact.cadenceDays) patch.cadenceDays = row.cadenceDays;
  if (row.notes && row.notes !== contact.notes) patch.notes = row.notes;
  const tags = [...new Set([...contact.tags, ...row.tags])];
  if (!sameTags(tags, contact.tags)) patch.tags = tags;
  const identities = row.identities.filter(
    (identity) => !contact.identities.some((held) => held.platform === identity.platform),
  );
  return Object.keys(patch).length > 0 || identities.length > 0 ? { patch, identities } : undefined;
}

async function writePlan(
  contacts: ContactRepository,
  plan: ImportPlan,
  onProgress: ((progress: ImportProgress) => void) | undefined,
): Promise<void> {
  const total = plan.creates.length + plan.updates.length;
  let done = 0;
  onProgress?.({ done, total });
  for (let i = 0; i < plan.creates.length; i += WRITE_BATCH) {
    const batch = plan.creates.slice(i, i + WRITE_BATCH);
    await contacts.createMany(batch);
    done += batch.length;
    onProgress?.({ done, total });
  }
  for (const update of plan.updates) {
    if (Object.keys(update.patch).length > 0) await contacts.update(update.id, update.patch);
    if (update.identities.length > 0) await contacts.addIdentities(update.id, update.identities);
    done++;
    if (done % WRITE_BATCH === 0 || done === total) onProgress?.({ done, total });
  }
}
