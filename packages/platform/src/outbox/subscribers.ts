/**
 * Where a producer's relay delivers: the EventSinkService of each consumer, named in
 * configuration (`OUTBOX_SUBSCRIBERS=post-service=post-service:50052,…`; an address may be any
 * grpc-js target, a list of replicas `ipv4:host:port,host:port` too), called with a
 * service credential.
 */
import { EventSinkServiceDefinition } from '@wren/contracts/events/v1/event_sink_service.js';
import { Metadata } from 'nice-grpc-common';
import type { EnvReader } from '../config.js';
import type { ClientPool } from '../grpc/client.js';
import type { OutboxSubscriber } from './relay.js';

export interface SubscriberAddress {
  name: string;
  address: string;
}

function parseSubscribers(raw: string): SubscriberAddress[] {
  // An entry starts at `name=`: a comma before anything else belongs to the address, as in
  // grpc-js's list of replicas `ipv4:10.0.0.1:50052,10.0.0.2:50052`.
  return raw
    .split(/,(?=\s*[a-z0-9-]+=)/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [name, address, ...rest] = entry.split('=');
      if (!name || !address || rest.length > 0 || !/^[a-z0-9-]+$/.test(name)) {
        throw new Error(`must be a comma-separated list of name=host:port (got "${entry}")`);
      }
      return { name, address };
    });
}

export function readOutboxSubscribers(env: EnvReader): SubscriberAddress[] {
  return env.custom('OUTBOX_SUBSCRIBERS', parseSubscribers, { default: [] });
}

/** A subscriber reached over gRPC; `credential` gives a current service token. */
export function grpcEventSubscriber(
  clients: ClientPool,
  subscriber: SubscriberAddress,
  credential: () => Promise<string>,
  deadlineMs = 10_000,
): OutboxSubscriber {
  const sink = clients.client(EventSinkServiceDefinition, subscriber.address);
  return {
    name: subscriber.name,
    async deliver(events) {
      await sink.deliver(
        { events },
        {
          metadata: Metadata({ authorization: `Bearer ${await credential()}` }),
          deadline: new Date(Date.now() + deadlineMs),
        },
      );
    },
  };
}
