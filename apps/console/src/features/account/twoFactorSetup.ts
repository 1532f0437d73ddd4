import { z } from 'zod';

/** Step 1 of the 2FA setup: two more security questions, each answered, not the same twice. */
export const twoFactorQuestionsSchema = z
  .object({
    first: z.object({ question: z.string().trim().min(1), answer: z.string().trim().min(1) }),
    second: z.object({ question: z.string().trim().min(1), answer: z.string().trim().min(1) }),
  })
  .superRefine(({ first, second }, ctx) => {
    if (first.question.trim().toLowerCase() === second.question.trim().toLowerCase()) {
      ctx.addIssue({
        code: 'custom',
        path: ['second', 'question'],
        params: { rule: 'duplicate_question' },
      });
    }
  });

export type TwoFactorQuestions = z.input<typeof twoFactorQuestionsSchema>;

/** The answers as the API takes them, in the order asked. */
export const setupAnswers = ({ first, second }: TwoFactorQuestions) => [
  { question: first.question.trim(), answer: first.answer.trim() },
  { question: second.question.trim(), answer: second.answer.trim() },
];

/** The wizard's steps, in order; `codes` is reached only once 2FA is on. */
export const SETUP_STEPS = ['questions', 'app', 'confirm', 'codes'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

/** Until the code is confirmed, cancelling leaves the account as it was; after, 2FA is on. */
export const cancellable = (step: SetupStep) => step !== 'codes';

/** The recovery codes as one text, a code a line, for the copy button. */
export const recoveryCodesText = (codes: readonly string[]) => codes.join('\n');
