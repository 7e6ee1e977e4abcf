/** The device-sync wire format (docs/finbox.md#device-sync). Times are epoch milliseconds. */
import { Type } from '@sinclair/typebox';

const EpochMs = Type.Integer({ minimum: 0, description: 'Epoch milliseconds, as Android reports them.' });

export const MAX_SMS_PER_BATCH = 20_000;

/**
 * The route reads text with NUL characters (an SMS body, stored encrypted, may hold one), but ids
 * are stored as they are, and PostgreSQL text cannot hold a NUL: an id with one is refused on every
 * engine alike.
 */
const idText = (maxLength: number) => ({
  minLength: 1,
  maxLength,
  pattern: '^[^\\u0000]*$',
  // The field's one message, whichever of its rules failed.
  errorMessage: `must be a string of 1 to ${maxLength} characters, none of them NUL (\\u0000)`,
});

export const SyncBody = Type.Object(
  {
    customer_id: Type.String({
      ...idText(260),
      description: 'The CUSTOMER_ID the lender knows the customer by.',
    }),
    batch_id: Type.String({
      ...idText(128),
      description: 'Unique per batch: a batch id sent again is stored once.',
    }),
    sms: Type.Optional(
      Type.Array(
        Type.Object(
          {
            sender: Type.String({ minLength: 1, maxLength: 64 }),
            body: Type.String({ maxLength: 2000 }),
            timestamp: EpochMs,
          },
          { additionalProperties: false },
        ),
        { maxItems: MAX_SMS_PER_BATCH },
      ),
    ),
    apps: Type.Optional(
      Type.Array(
        Type.Object(
          {
            package: Type.String({ minLength: 1, maxLength: 255 }),
            name: Type.Optional(Type.String({ maxLength: 255 })),
            first_install_time: EpochMs,
            last_update_time: Type.Optional(EpochMs),
          },
          { additionalProperties: false },
        ),
        { maxItems: 5000 },
      ),
    ),
    calls: Type.Optional(
      Type.Array(
        Type.Object(
          {
            type: Type.Union(
              ['incoming', 'outgoing', 'missed', 'rejected'].map((t) => Type.Literal(t)),
              { errorMessage: 'must be one of: incoming, outgoing, missed, rejected' },
            ),
            duration: Type.Integer({ minimum: 0, description: 'Seconds.' }),
            timestamp: EpochMs,
            number_hash: Type.String({
              minLength: 1,
              maxLength: 128,
              description: 'The number hashed on the device.',
            }),
          },
          { additionalProperties: false },
        ),
        { maxItems: 20_000 },
      ),
    ),
    contacts_count: Type.Optional(Type.Integer({ minimum: 0 })),
    device: Type.Optional(
      Type.Object(
        {
          model: Type.Optional(Type.String({ maxLength: 128 })),
          brand: Type.Optional(Type.String({ maxLength: 128 })),
          os: Type.Optional(Type.String({ maxLength: 64 })),
          os_version: Type.Optional(Type.String({ maxLength: 64 })),
          ram_mb: Type.Optional(Type.Integer({ minimum: 0 })),
          storage_mb: Type.Optional(Type.Integer({ minimum: 0 })),
          rooted: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
    locations: Type.Optional(
      Type.Array(
        Type.Object(
          {
            lat: Type.Number({ minimum: -90, maximum: 90 }),
            lon: Type.Number({ minimum: -180, maximum: 180 }),
            timestamp: EpochMs,
            accuracy: Type.Optional(Type.Number({ minimum: 0 })),
            mock: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        { maxItems: 5000 },
      ),
    ),
    permissions: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 200 })),
  },
  { additionalProperties: false },
);

export const SyncSummarySchema = Type.Object({
  customer_id: Type.String(),
  batch_id: Type.String(),
  received_at: Type.String(),
  replayed: Type.Boolean({
    description: 'True when this batch id was stored before: nothing new was stored.',
  }),
  stored: Type.Object({
    sms: Type.Integer({ description: 'New messages stored.' }),
    sms_duplicates: Type.Integer({
      description: 'Messages already stored (or repeated in the batch), skipped.',
    }),
    apps: Type.Integer(),
    calls: Type.Integer(),
    contacts: Type.Boolean(),
    device: Type.Boolean(),
    locations: Type.Integer(),
    permissions: Type.Integer(),
  }),
});
