import { defineModel, type RecordOf } from '@warden/platform';

/**
 * A session: one family of refresh tokens, from a sign-in to its end. The
 * token is `<sessionId>.<secret>`; only the current secret's hash is kept,
 * with the hashes it replaced, so presenting a rotated one is recognised as
 * theft and ends the whole family (RFC 6819 §5.2.2.3).
 */
export const SessionModel = defineModel(
  'Session',
  'sessions',
  {
    _id: { type: String, required: true },
    administratorId: { type: String, required: true },
    consoleId: { type: String, required: true },
    secretHash: { type: String, required: true },
    /** Hashes of the secrets this session already rotated away (the latest ones). */
    rotatedHashes: { type: [String], default: () => [] },
    rotations: { type: Number, default: 0 },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    revokedReason: { type: String, default: null },
    createdAt: { type: Date, required: true },
    lastRefreshedAt: { type: Date, default: null },
  },
  (schema) => {
    schema.index({ administratorId: 1, _id: 1 });
  },
);
export type SessionRecord = RecordOf<typeof SessionModel>;
