import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../errors.js';

/**
 * Encryption at rest of a person's proof documents and card codes: AES-256-GCM with a 96-bit random
 * IV per message and the authentication tag kept beside it. The key id (first bytes of the key's
 * SHA-256) is stored with each message so a wrong or rotated key is reported, not decrypted to garbage.
 */

export interface SealingKey {
  /** 16 hex characters identifying the key (not secret). */
  id: string;
  key: Buffer;
}

export interface Sealed {
  keyId: string;
  iv: Buffer;
  authTag: Buffer;
  ciphertext: Buffer;
}

/** A key from 32 bytes of base64 (DOCUMENT_KEY). */
export function sealingKeyFromBase64(base64: string): SealingKey {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new Error('DOCUMENT_KEY must be 32 bytes in base64');
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key };
}

/**
 * The configured key, or the one kept in `file`, created (mode 0600) on the first start when neither
 * exists, so a fresh `npm start` works; production deployments set DOCUMENT_KEY or back up the file.
 */
export function loadSealingKey(config: { DOCUMENT_KEY?: string; DOCUMENT_KEY_FILE: string }): SealingKey {
  if (config.DOCUMENT_KEY) return sealingKeyFromBase64(config.DOCUMENT_KEY);
  const file = config.DOCUMENT_KEY_FILE;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  return sealingKeyFromBase64(readFileSync(file, 'utf8').trim());
}

/** A fresh random key (tests, and the first start). */
export function randomSealingKey(): SealingKey {
  return sealingKeyFromBase64(randomBytes(32).toString('base64'));
}

export function seal(key: SealingKey, plaintext: Buffer): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { keyId: key.id, iv, authTag: cipher.getAuthTag(), ciphertext };
}

/** Decrypts; throws AppError('internal') when the key differs or the data was altered. */
export function unseal(key: SealingKey, sealed: Sealed): Buffer {
  if (sealed.keyId !== key.id) {
    throw new AppError('internal', 'This document was encrypted with another key (DOCUMENT_KEY changed).');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(sealed.iv));
    decipher.setAuthTag(Buffer.from(sealed.authTag));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext)), decipher.final()]);
  } catch {
    throw new AppError('internal', 'This document cannot be decrypted (altered or wrong key).');
  }
}

/** Seals a short text into one string `keyId.iv.tag.ciphertext` (base64url parts), for text columns. */
export function sealText(key: SealingKey, text: string): string {
  const s = seal(key, Buffer.from(text, 'utf8'));
  return [s.keyId, s.iv.toString('base64url'), s.authTag.toString('base64url'), s.ciphertext.toString('base64url')].join('.');
}

export function unsealText(key: SealingKey, packed: string): string {
  const [keyId, iv, tag, data] = packed.split('.');
  if (!keyId || !iv || !tag || data === undefined) throw new AppError('internal', 'Malformed sealed text.');
  return unseal(key, {
    keyId,
    iv: Buffer.from(iv, 'base64url'),
    authTag: Buffer.from(tag, 'base64url'),
    ciphertext: Buffer.from(data, 'base64url')
  }).toString('utf8');
}
