/** OUTBOX_SUBSCRIBERS: where each relay delivers, a single address or a list of replicas. */
import { expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { readOutboxSubscribers } from '../src/outbox/subscribers.js';

const read = (value: string) => readConfig((env) => readOutboxSubscribers(env), { OUTBOX_SUBSCRIBERS: value });

it('reads one address per subscriber', () => {
  expect(read('post-service=post-service:50052, notification-service=10.0.0.3:50053')).toEqual([
    { name: 'post-service', address: 'post-service:50052' },
    { name: 'notification-service', address: '10.0.0.3:50053' },
  ]);
});

it('keeps a grpc-js list of replicas whole: its commas belong to the address', () => {
  expect(read('post-service=ipv4:127.0.0.1:5001,127.0.0.1:5002,notification-service=ipv4:127.0.0.1:5003')).toEqual([
    { name: 'post-service', address: 'ipv4:127.0.0.1:5001,127.0.0.1:5002' },
    { name: 'notification-service', address: 'ipv4:127.0.0.1:5003' },
  ]);
});

it('refuses an entry without a name', () => {
  expect(() => read('post-service:50052')).toThrow(/OUTBOX_SUBSCRIBERS/);
});
