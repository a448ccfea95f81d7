import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * Credentials at rest: AES-256-GCM with a fresh 96-bit nonce per value. The stored envelope is
 * `v2.<key id>.<nonce>.<tag>.<ciphertext>` (base64url), the key id authenticated with the value;
 * values sealed before key ids, `v1.<nonce>.<tag>.<ciphertext>`, still open.
 *
 * A box seals with one key and opens with it or any previous key it was given: during a rotation
 * servers hold both, and read values under either while everything new goes under the new one.
 */
export interface SecretBox {
  /** The id of the key new values are sealed with. */
  readonly keyId: string;
  /** Every key this box opens with, the sealing key first. */
  readonly keyIds: readonly string[];
  seal(plaintext: string): string;
  open(envelope: string): string;
  /** Sealed with the key new values get, in the current envelope: re-sealing would change nothing. */
  isCurrent(envelope: string): boolean;
  /** The id of the one of this box's keys that opens `envelope`, or undefined if none does. */
  keyIdOpening(envelope: string): string | undefined;
}

/** Which key a value was sealed with, as its envelope says (v1 values don't say). */
export function envelopeKeyId(envelope: string): string | undefined {
  const [version, keyId] = envelope.split(".");
  return version === "v2" ? keyId : undefined;
}

const KEY_ID_LABEL = "touchpoint sealing key id\0";

/**
 * A key's public name: the first 8 bytes of SHA-256 over a fixed label and the key, in hex. It
 * tells keys apart in envelopes, the key registry and messages; a hash of a 256-bit random key
 * gives nothing of the key away.
 */
export function keyIdOf(key: Buffer): string {
  return createHash("sha256").update(KEY_ID_LABEL).update(key).digest().subarray(0, 8).toString("hex");
}

export class UnknownSealingKey extends Error {
  constructor(
    readonly keyId: string,
    readonly known: readonly string[],
  ) {
    super(`the value was sealed with key id ${keyId}, not one of the keys given (${known.join(", ")})`);
    this.name = "UnknownSealingKey";
  }
}

interface Key {
  readonly id: string;
  readonly bytes: Buffer;
}

function toKey(bytes: Buffer): Key {
  if (bytes.length !== 32) throw new Error(`the encryption key must be 32 bytes, not ${bytes.length}`);
  return { id: keyIdOf(bytes), bytes };
}

const b64 = (part: Buffer) => part.toString("base64url");

export function createSecretBox(key: Buffer, options: { readonly previous?: readonly Buffer[] } = {}): SecretBox {
  const current = toKey(key);
  const keys = [current, ...(options.previous ?? []).map(toKey).filter((k) => k.id !== current.id)];

  const parse = (envelope: string) => {
    const parts = envelope.split(".");
    if (parts[0] === "v2" && parts.length === 5) {
      const [, keyId = "", nonce = "", tag = "", ciphertext = ""] = parts;
      return { keyId, nonce, tag, ciphertext, aad: Buffer.from(`v2.${keyId}`) };
    }
    if (parts[0] === "v1" && parts.length === 4) {
      const [, nonce = "", tag = "", ciphertext = ""] = parts;
      return { keyId: undefined, nonce, tag, ciphertext, aad: undefined };
    }
    throw new Error("not a sealed value (expected v2.<key id>.<nonce>.<tag>.<ciphertext>)");
  };

  const decrypt = (key: Key, sealed: ReturnType<typeof parse>) => {
    const decipher = createDecipheriv("aes-256-gcm", key.bytes, Buffer.from(sealed.nonce, "base64url"));
    if (sealed.aad) decipher.setAAD(sealed.aad);
    decipher.setAuthTag(Buffer.from(sealed.tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, "base64url")), decipher.final()]).toString(
      "utf8",
    );
  };

  /** The key and plaintext, or undefined when none of the keys opens it (a v1 value says no key). */
  const tryOpen = (envelope: string): { key: Key; plaintext: string } | undefined => {
    const sealed = parse(envelope);
    const candidates = sealed.keyId === undefined ? keys : keys.filter((k) => k.id === sealed.keyId);
    for (const candidate of candidates) {
      try {
        return { key: candidate, plaintext: decrypt(candidate, sealed) };
      } catch {
        // A v1 value under another key: its tag does not verify. Try the next one.
      }
    }
    return undefined;
  };

  return {
    keyId: current.id,
    keyIds: keys.map((k) => k.id),
    seal(plaintext) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", current.bytes, nonce);
      cipher.setAAD(Buffer.from(`v2.${current.id}`));
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return ["v2", current.id, b64(nonce), b64(cipher.getAuthTag()), b64(ciphertext)].join(".");
    },
    open(envelope) {
      const opened = tryOpen(envelope);
      if (opened) return opened.plaintext;
      const keyId = parse(envelope).keyId;
      if (keyId !== undefined && !keys.some((k) => k.id === keyId)) {
        throw new UnknownSealingKey(
          keyId,
          keys.map((k) => k.id),
        );
      }
      throw new Error("the value does not open with the keys given (a wrong key, or the value was altered)");
    },
    isCurrent(envelope) {
      return envelopeKeyId(envelope) === current.id;
    },
    keyIdOpening(envelope) {
      try {
        return tryOpen(envelope)?.key.id;
      } catch {
        return undefined;
      }
    },
  };
}
