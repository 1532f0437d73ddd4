import { defineModel, type RecordOf } from '@warden/platform';

export const ACTIVATION_LINK_STATES = ['open', 'used', 'replaced', 'locked'] as const;

/**
 * One activation e-mail's link. Kept after use so that an old link answers
 * "used" or "replaced" rather than "unknown". The id is the SHA-256 of the
 * token in the link: the database holds no working link.
 */
export const ActivationLinkModel = defineModel(
  'ActivationLink',
  'activation_links',
  {
    _id: { type: String, required: true },
    administratorId: { type: String, required: true },
    consoleId: { type: String, required: true },
    temporaryPasswordHash: { type: String, required: true },
    state: { type: String, enum: ACTIVATION_LINK_STATES, required: true },
    failedAttempts: { type: Number, default: 0 },
    expiresAt: { type: Date, required: true },
    /** Set once its e-mail is queued: a retried invitation with this set sends nothing again. */
    mailQueuedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  (schema) => {
    schema.index({ administratorId: 1, _id: 1 });
  },
);
export type ActivationLinkRecord = RecordOf<typeof ActivationLinkModel>;
