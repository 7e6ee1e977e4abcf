/** FriendlyScore's request and response shapes. Response schemas are the allowlist of what leaves. */
import { Type } from '@sinclair/typebox';

export const UserParams = Type.Object({
  idType: Type.String({ description: '`id` (FriendlyScore id) or `partner-id` (your id for the user)' }),
  id: Type.String({ minLength: 1, maxLength: 255 }),
});

const Loose = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);

export const CalculateBody = Type.Object(
  {
    access_tokens: Type.Optional(
      Type.Union([Type.Record(Type.String(), Loose), Type.String()], {
        description:
          'facebook, linkedin, twitter (+ twitter_secret), twitter_user_id, twitter_screen_name, google, paypal, instagram',
        errorMessage: 'must be an object of network: token',
      }),
    ),
    user_ip: Type.Optional(Loose),
    user_agent: Type.Optional(
      Type.Union([Type.String(), Type.Record(Type.String(), Type.Unknown())], {
        errorMessage:
          'must be a JSON object such as {"os":"Android 13","browser":"Chrome 120","mobile":true}',
      }),
    ),
    webhook: Type.Optional(Loose),
    partner_user_id: Type.Optional(
      Type.Union([Type.String(), Type.Number(), Type.Null()], {
        errorMessage: 'must be a string of at most 255 characters',
      }),
    ),
  },
  { additionalProperties: true },
);

export const Success = Type.Object({
  result: Type.Literal('success'),
  message: Type.String(),
  user_id: Type.String({ description: "The user's FriendlyScore id" }),
});

export const BadParameters = Type.Union([
  Type.Object({ result: Type.Literal('error'), message: Type.String(), user_id: Type.String() }),
  Type.Object({ error: Type.String() }),
  Type.Object({ code: Type.Integer(), message: Type.String() }),
]);

export const FrameworkError = Type.Union([
  Type.Object({ code: Type.Integer(), message: Type.String() }),
  Type.Object({ error: Type.String(), error_description: Type.String() }),
]);

export const Pending = Type.Object({ result: Type.String(), message: Type.String(), user_id: Type.String() });

export const ReasonCode = Type.Object({
  code: Type.String(),
  sentiment: Type.Union([Type.Literal('Positive'), Type.Literal('Negative')]),
  description: Type.String(),
});

export const Score = Type.Object({
  user_id: Type.String(),
  partner_user_id: Type.String(),
  friendlyscore: Type.Integer({ description: 'The score, 0-1000 (same as score)' }),
  score: Type.Integer(),
  band: Type.Union([Type.String(), Type.Null()]),
  min_score: Type.Integer(),
  max_score: Type.Integer(),
  reason_codes: Type.Array(ReasonCode),
  calculated_at: Type.String(),
});

export const Notices = Type.Object({
  google_scopes_notice: Type.Union([Type.String(), Type.Null()]),
  ip_address_notice: Type.Union([Type.String(), Type.Null()]),
});

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const UserObject = Type.Object({
  id: Type.Integer(),
  partner_id: Type.String(),
  friendlyscore: Type.Union([Type.Integer(), Type.Null()]),
  band: Type.Union([Type.String(), Type.Null()]),
  name: Nullable(Type.String()),
  email: Nullable(Type.String()),
  mobile: Nullable(Type.String()),
  age: Type.Union([Type.Integer(), Type.Null()]),
  gender: Nullable(Type.String()),
  address: Nullable(Type.String()),
  city_name: Nullable(Type.String()),
  educations: Type.Union([Type.Array(Type.Unknown()), Type.Null()]),
  skills: Type.Union([Type.Array(Type.Unknown()), Type.Null()]),
  family_members_in_home: Type.Union([Type.Integer(), Type.Null()]),
  has_kids: Type.Union([Type.Boolean(), Type.Null()]),
  working: Type.Union([Type.Boolean(), Type.Null()]),
  positive: Type.Union([Type.Boolean(), Type.Null()]),
  status: Type.Union([Type.Integer(), Type.String(), Type.Null()]),
  status_description: Nullable(Type.String()),
  loan_amount: Type.Union([Type.Number(), Type.Null()]),
  loan_currency: Nullable(Type.String()),
  loan_duration_in_days: Type.Union([Type.Integer(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
  notices: Notices,
});

/**
 * users.json: the users under `results`, which the public SDK reads (`$res->results[0]->id`), and
 * `notices` at the bottom, as the seed asks clients to check; a notice is about one user, so the
 * list's own are null and each user carries its own.
 */
export const UsersPage = Type.Object({
  page: Type.Integer(),
  max_results: Type.Integer(),
  total: Type.Integer(),
  pages: Type.Integer(),
  results: Type.Array(UserObject),
  notices: Notices,
});

/** The last page users.json reads: ten million pages of 200 is more users than any tenant has. */
export const MAX_USERS_PAGE = 10_000_000;

export const UsersQuery = Type.Object({
  // Bounded so that the offset, (page - 1) × 200, stays a whole number every database can take.
  page: Type.Integer({ minimum: 1, maximum: MAX_USERS_PAGE, default: 1 }),
  max_results: Type.Integer({ minimum: 1, default: 20, description: 'At most 200; more is read as 200.' }),
  access_token: Type.Optional(Type.String()),
});

export const AccessTokenQuery = Type.Object({ access_token: Type.Optional(Type.String()) });

export const GetScoreQuery = Type.Object({
  partner_user_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  id: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  access_token: Type.Optional(Type.String()),
});

const NullableString = Type.Union([Type.String(), Type.Null()]);

export const IpAddressData = Type.Object({
  user_id: Type.String(),
  ip_addresses: Type.Array(
    Type.Object({
      ip: Type.String(),
      version: Type.Union([Type.Integer(), Type.Null()]),
      valid_public_address: Type.Boolean(),
      range: Type.String(),
      country_code: NullableString,
      country: NullableString,
      region: NullableString,
      city: NullableString,
      asn: Type.Union([Type.Integer(), Type.Null()]),
      organisation: NullableString,
      hosting: Type.Boolean(),
      ip_address_notice: NullableString,
      first_seen: Type.String(),
      last_seen: Type.String(),
      times_seen: Type.Integer(),
    }),
  ),
  device: Type.Union([
    Type.Object({
      os: NullableString,
      browser: NullableString,
      device_type: NullableString,
      mobile: Type.Union([Type.Boolean(), Type.Null()]),
      source: Type.String(),
      contradictions: Type.Array(Type.String()),
    }),
    Type.Null(),
  ]),
});

/** What a data connector gathered, as it stored it. */
export const GatheredData = Type.Unknown();

export const SocialNetworkData = Type.Object({
  user_id: Type.String(),
  networks: Type.Record(Type.String(), Type.Unknown(), {
    description:
      "Each network a connector has read, by name, with what it read (as the network's own -data.json answers)",
  }),
});

export const DataPoints = Type.Object({
  user_id: Type.String(),
  partner_user_id: Type.String(),
  friendlyscore: Type.Integer({ description: 'The score these data points made, 0-1000' }),
  calculated_at: Type.String(),
  data_points: Type.Array(
    Type.Object({
      name: Type.String({ description: 'The characteristic of the scorecard' }),
      value: Type.Union([Type.Number(), Type.String(), Type.Null()], {
        description: "What the person's data gave it; null when nothing told it",
      }),
      bin: Type.String({ description: 'The bin the value fell in' }),
      points: Type.Number(),
      max_points: Type.Number({ description: 'The most points the characteristic gives' }),
    }),
  ),
});

export const StatusBody = Type.Object(
  { status: Type.Optional(Loose), status_description: Type.Optional(Loose) },
  { additionalProperties: true },
);

export const PerformanceBody = Type.Record(Type.String(), Type.Unknown());
