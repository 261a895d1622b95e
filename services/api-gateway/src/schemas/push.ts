/** Push destinations: Web Push subscriptions (as a browser's PushSubscription.toJSON()) and Expo tokens. */
import { Type } from 'typebox';

// Browsers' endpoints are a few hundred characters; the service refuses longer ones too.
export const MAX_ENDPOINT_LENGTH = 2048;
const BASE64URL_PATTERN = '^[A-Za-z0-9_-]+={0,2}$';

const Endpoint = Type.String({
  minLength: 1,
  maxLength: MAX_ENDPOINT_LENGTH,
  format: 'uri',
  description: 'The push service URL the browser gave (https; no private, loopback or link-local address).',
});

export const VapidKeySchema = Type.Object(
  {
    publicKey: Type.String({
      description:
        'The VAPID public key (base64url, uncompressed P-256 point): the `applicationServerKey` to subscribe with.',
    }),
  },
  { additionalProperties: false },
);

export const WebPushSubscriptionBody = Type.Object(
  {
    endpoint: Endpoint,
    expirationTime: Type.Optional(
      Type.Union([Type.Number(), Type.Null()], { description: 'As the browser reports it; not used.' }),
    ),
    keys: Type.Object(
      {
        p256dh: Type.String({
          minLength: 1,
          maxLength: 128,
          pattern: BASE64URL_PATTERN,
          description: 'The browser’s P-256 public key (base64url, 65 bytes).',
        }),
        auth: Type.String({
          minLength: 1,
          maxLength: 64,
          pattern: BASE64URL_PATTERN,
          description: 'The auth secret (base64url, 16 bytes).',
        }),
      },
      { additionalProperties: false },
    ),
  },
  {
    additionalProperties: false,
    description: 'What `PushSubscription.toJSON()` gives, as it is.',
  },
);

export const WebPushEndpointBody = Type.Object({ endpoint: Endpoint }, { additionalProperties: false });

export const WebPushSubscriptionCreatedSchema = Type.Object(
  { id: Type.String({ format: 'uuid', description: 'The subscription’s id.' }) },
  { additionalProperties: false },
);

export const ExpoTokenBody = Type.Object(
  {
    token: Type.String({
      minLength: 1,
      maxLength: 256,
      description: 'The Expo push token of the device: `ExponentPushToken[…]` (or `ExpoPushToken[…]`).',
      examples: ['ExponentPushToken[xxxxxxxxxxxxxxxxxxxxxx]'],
    }),
  },
  { additionalProperties: false },
);
