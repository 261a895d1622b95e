/**
 * VAPID keys (RFC 8292): a P-256 pair in the base64url form web-push uses. Checked at start so
 * that a typo in the environment fails the process instead of every push later.
 */
import { createECDH, ECDH } from 'node:crypto';
import webPush from 'web-push';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/** A fresh pair, for `npm run keys:vapid` and for `npm start` when none is configured. */
export function generateVapidKeys(): VapidKeys {
  return webPush.generateVAPIDKeys();
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The bytes of a base64url string, or undefined when it is not one. */
export function decodeBase64Url(value: string): Buffer | undefined {
  if (!BASE64URL.test(value.replace(/=+$/, ''))) return undefined;
  return Buffer.from(value, 'base64url');
}

/** An uncompressed P-256 point: 0x04, then X and Y of 32 bytes each. */
export function isUncompressedP256Point(bytes: Buffer | undefined): boolean {
  if (bytes?.length !== 65 || bytes[0] !== 0x04) return false;
  try {
    // Rejects points that are not on the curve: ECDH with them would fail at send time.
    ECDH.convertKey(bytes, 'prime256v1', undefined, undefined, 'uncompressed');
    return true;
  } catch {
    return false;
  }
}

/** Throws (with a message naming the problem) unless the two keys form one P-256 pair. */
export function checkVapidPair(publicKey: string, privateKey: string): void {
  const pub = decodeBase64Url(publicKey);
  const priv = decodeBase64Url(privateKey);
  if (!isUncompressedP256Point(pub)) throw new Error('VAPID_PUBLIC_KEY must be a base64url uncompressed P-256 point');
  if (priv?.length !== 32) throw new Error('VAPID_PRIVATE_KEY must be 32 base64url bytes');
  const ecdh = createECDH('prime256v1');
  try {
    ecdh.setPrivateKey(priv);
  } catch {
    throw new Error('VAPID_PRIVATE_KEY is not a valid P-256 private key');
  }
  if (!ecdh.getPublicKey().equals(pub as Buffer)) {
    throw new Error('VAPID_PUBLIC_KEY does not belong to VAPID_PRIVATE_KEY');
  }
}

/** RFC 8292 §2.1: a contact, as a mailto: or an https: URL. */
export function parseVapidSubject(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('must be a mailto: or https: URL');
  }
  if (url.protocol !== 'mailto:' && url.protocol !== 'https:') throw new Error('must be a mailto: or https: URL');
  return raw;
}
