/**
 * The receiving side of Web Push's cryptography, written from the RFCs with node:crypto, so
 * that it checks the sender instead of sharing its code: the VAPID JWT (RFC 8292, ES256) and
 * the aes128gcm payload (RFC 8188 records, RFC 8291 keys).
 */
import { createDecipheriv, createECDH, createPublicKey, type ECDH, hkdfSync, verify } from 'node:crypto';

const b64u = (buffer: Buffer | Uint8Array) => Buffer.from(buffer).toString('base64url');

/** A P-256 pair in the raw forms Web Push uses (65-byte public point, 32-byte private scalar). */
export function p256KeyPair(): { ecdh: ECDH; publicKey: Buffer; privateKey: Buffer } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const privateKey = Buffer.alloc(32);
  const raw = ecdh.getPrivateKey();
  raw.copy(privateKey, 32 - raw.length);
  return { ecdh, publicKey: ecdh.getPublicKey(), privateKey };
}

/** The variables notification-service reads its VAPID keys from, with a fresh pair. */
export function vapidEnv(subject = 'mailto:push-tests@wren.invalid'): Record<string, string> {
  const { publicKey, privateKey } = p256KeyPair();
  return { VAPID_PUBLIC_KEY: b64u(publicKey), VAPID_PRIVATE_KEY: b64u(privateKey), VAPID_SUBJECT: subject };
}

export interface VapidClaims {
  aud: string;
  exp: number;
  sub: string;
  [name: string]: unknown;
}

/**
 * Checks an `Authorization: vapid t=<JWT>, k=<key>` header for `origin`; returns the claims
 * and the key, or throws naming the first problem.
 */
export function verifyVapid(header: string | undefined, origin: string, now = Date.now()) {
  const match = /^vapid\s+(.+)$/i.exec(header ?? '');
  if (!match?.[1]) throw new Error('no vapid Authorization header');
  const params = new Map(
    match[1].split(',').map((part) => {
      const [name = '', ...rest] = part.trim().split('=');
      return [name.trim(), rest.join('=').trim()] as const;
    }),
  );
  const token = params.get('t');
  const key = params.get('k');
  if (!token || !key) throw new Error('vapid header lacks t= or k=');
  const [head, body, signature] = token.split('.');
  if (!head || !body || !signature) throw new Error('t is not a JWT');
  const header_ = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: string };
  if (header_.alg !== 'ES256') throw new Error(`JWT alg is ${header_.alg}, not ES256`);
  const point = Buffer.from(key, 'base64url');
  if (point.length !== 65 || point[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  const publicKey = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33)) },
    format: 'jwk',
  });
  const signed = verify(
    'sha256',
    Buffer.from(`${head}.${body}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) throw new Error('JWT signature does not verify with k');
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as VapidClaims;
  if (claims.aud !== origin) throw new Error(`aud is ${claims.aud}, not ${origin}`);
  const seconds = now / 1000;
  if (typeof claims.exp !== 'number' || claims.exp <= seconds) throw new Error('exp is not in the future');
  if (claims.exp > seconds + 24 * 3600 + 60) throw new Error('exp is more than 24 h ahead');
  if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub)) throw new Error('sub is missing');
  return { claims, key };
}

const hkdf = (salt: Buffer, ikm: Buffer, info: Buffer, length: number) =>
  Buffer.from(hkdfSync('sha256', ikm, salt, info, length));

/** RFC 8291 §3.4 and RFC 8188 §2: the plaintext of an aes128gcm body, or throws. */
export function decryptAes128gcm(body: Buffer, receiver: ECDH, authSecret: Buffer): Buffer {
  if (body.length < 21) throw new Error('body shorter than the aes128gcm header');
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20] as number;
  const senderKey = body.subarray(21, 21 + idLength);
  if (idLength !== 65) throw new Error('keyid is not the sender’s 65-byte public key');
  if (recordSize < 18) throw new Error('record size too small');
  const secret = receiver.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), receiver.getPublicKey(), senderKey]);
  const ikm = hkdf(authSecret, secret, keyInfo, 32);
  const key = hkdf(salt, ikm, Buffer.from('Content-Encoding: aes128gcm\0'), 16);
  const nonce = hkdf(salt, ikm, Buffer.from('Content-Encoding: nonce\0'), 12);
  const records = body.subarray(21 + idLength);
  const plain: Buffer[] = [];
  for (let offset = 0, seq = 0; offset < records.length; offset += recordSize, seq += 1) {
    const record = records.subarray(offset, offset + recordSize);
    const iv = Buffer.from(nonce);
    // The sequence number is XORed into the nonce's low bytes (records here are few).
    iv.writeUInt32BE((iv.readUInt32BE(8) ^ seq) >>> 0, 8);
    const decipher = createDecipheriv('aes-128-gcm', key, iv);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    // Padding is zeros after a delimiter: 2 in the last record, 1 in the others.
    let end = padded.length - 1;
    while (end >= 0 && padded[end] === 0) end -= 1;
    const last = offset + recordSize >= records.length;
    if (padded[end] !== (last ? 2 : 1)) throw new Error('bad record delimiter');
    plain.push(padded.subarray(0, end));
  }
  return Buffer.concat(plain);
}
