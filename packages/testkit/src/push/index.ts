// Protocol peers for push delivery tests: a verifying Web Push receiver and an Expo API fake.
export * from './expo-fake.js';
export { type ScriptedAnswer, waitUntil } from './http-peer.js';
export * from './web-push-crypto.js';
export * from './web-push-receiver.js';
