import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSealingKey, randomSealingKey, seal, sealText, unseal, unsealText } from './sealed.js';

describe('sealed (AES-256-GCM at rest)', () => {
  it('round-trips bytes and never stores the plaintext', () => {
    const key = randomSealingKey();
    const plain = Buffer.from('%PDF-1.7 avis d’imposition de Mme Exemple');
    const s = seal(key, plain);
    expect(s.ciphertext.includes(Buffer.from('imposition'))).toBe(false);
    expect(unseal(key, s).equals(plain)).toBe(true);
  });

  it('uses a fresh IV for each message', () => {
    const key = randomSealingKey();
    const a = seal(key, Buffer.from('même texte'));
    const b = seal(key, Buffer.from('même texte'));
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
  });

  it('refuses another key and altered data', () => {
    const key = randomSealingKey();
    const s = seal(key, Buffer.from('secret'));
    expect(() => unseal(randomSealingKey(), s)).toThrow(/another key/);
    const altered = { ...s, ciphertext: Buffer.from(s.ciphertext) };
    altered.ciphertext.writeUInt8(altered.ciphertext.readUInt8(0) ^ 1, 0);
    expect(() => unseal(key, altered)).toThrow(/altered/);
  });

  it('packs short texts for text columns', () => {
    const key = randomSealingKey();
    const packed = sealText(key, 'K7M2-P9QX');
    expect(packed).not.toContain('K7M2');
    expect(unsealText(key, packed)).toBe('K7M2-P9QX');
  });

  it('creates the key file once, private, and reads it back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'glane-key-'));
    const file = join(dir, 'sub', 'document.key');
    const first = loadSealingKey({ DOCUMENT_KEY_FILE: file });
    const second = loadSealingKey({ DOCUMENT_KEY_FILE: file });
    expect(second.id).toBe(first.id);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
  });

  it('prefers DOCUMENT_KEY over the file', () => {
    const configured = randomSealingKey();
    const key = loadSealingKey({ DOCUMENT_KEY: configured.key.toString('base64'), DOCUMENT_KEY_FILE: '/nonexistent/x' });
    expect(key.id).toBe(configured.id);
  });
});
