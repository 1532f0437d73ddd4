import { defineModel, type RecordOf } from '@warden/platform';

/**
 * A 2FA setup in progress. The account is not touched until the code is
 * confirmed, so cancelling or abandoning a setup at any step leaves it
 * exactly as it was (DESIGN §3, journey 4).
 */
export const TwoFactorSetupModel = defineModel(
  'TwoFactorSetup',
  'two_factor_setups',
  {
    _id: { type: String, required: true },
    administratorId: { type: String, required: true },
    consoleId: { type: String, required: true },
    secretSealed: { type: String, required: true },
    /** `{ question, answerHash }` ×2: the additional security questions of step 1. */
    questions: {
      type: [
        {
          _id: false,
          question: { type: String, required: true },
          answerHash: { type: String, required: true },
        },
      ],
      required: true,
    },
    expiresAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  (schema) => {
    schema.index({ expiresAt: 1 });
  },
);
export type TwoFactorSetupRecord = RecordOf<typeof TwoFactorSetupModel>;
