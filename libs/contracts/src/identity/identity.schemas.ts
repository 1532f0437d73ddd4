import { z } from 'zod';
import { callerSchema, SITE_ACCESS_LEVELS } from '../caller';
import { idSchema } from '../ids';
import { idempotencyKeySchema, LANGUAGES } from '../licensing/licensing.schemas';
import { changesOf } from '../changes';
import { emailAddressSchema, nameText } from '../text';
import { PASSWORD_MAX_LENGTH, SECURITY_CODE_MAX_LENGTH } from './credential-rules';

export const ADMIN_STATES = ['invited', 'active', 'locked', 'disabled'] as const;
export const ACCOUNT_TYPES = ['super_admin', 'admin'] as const;
export const ADMIN_KINDS = ['customer', 'provider_support'] as const;
export const TWO_FACTOR_STATES = ['enabled', 'not_set_up'] as const;
export const RECOVERY_CODE_COUNT = 10;

/** A phone number as people write it: digits, spaces, `+`, `-`, `(`, `)`; compared by its digits. */
export const phoneSchema = z
  .string()
  .max(32)
  .regex(/^\+?[0-9 ()-]{6,31}$/, 'must be a phone number (digits, spaces, + - ( ))')
  .refine((phone) => phone.replace(/[^0-9]/g, '').length >= 6, 'must have at least 6 digits');

/** The digits of a phone number, the form it is looked up by. */
export function phoneDigits(phone: string): string {
  return phone.replace(/[^0-9]/g, '');
}

/** First and last names: 2–30 characters (DESIGN §2). */
export const personNameSchema = nameText(30, 2);

/** A secret someone typed; its rules are checked by the service, which reports each by name. */
const secretText = (max: number) => z.string().max(max);
const password = secretText(PASSWORD_MAX_LENGTH);
const answerText = z.string().min(1).max(200);
const questionText = nameText(200);
/** Opaque tokens from links and replies (base64url). */
const opaqueToken = z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, 'malformed token');

export const administratorInputSchema = z.object({
  email: emailAddressSchema,
  firstName: personNameSchema,
  lastName: personNameSchema,
  phone: phoneSchema.optional(),
  /** The console's language when absent. */
  language: z.enum(LANGUAGES).optional(),
});
export type AdministratorInput = z.input<typeof administratorInputSchema>;

export const administratorSchema = z.object({
  id: idSchema,
  consoleId: idSchema,
  email: z.string(),
  phone: z.string().nullable(),
  firstName: z.string(),
  lastName: z.string(),
  language: z.enum(LANGUAGES),
  accountType: z.enum(ACCOUNT_TYPES),
  kind: z.enum(ADMIN_KINDS),
  state: z.enum(ADMIN_STATES),
  twoFactor: z.enum(TWO_FACTOR_STATES),
  /** Site id → level, for `admin` accounts (a site not listed: no access); empty for super admins. */
  siteAccess: z.record(z.enum(SITE_ACCESS_LEVELS)),
  /** While `invited`: when the current activation link stops working. */
  invitationExpiresAt: z.string().datetime().nullable(),
  /** While `locked`: when it unlocks by itself. */
  lockedUntil: z.string().datetime().nullable(),
  createdAt: z.string().datetime(),
});
export type Administrator = z.infer<typeof administratorSchema>;

export const administratorListSchema = z.object({ items: z.array(administratorSchema) });

/** The provider opens a console: its first administrators, each invited by e-mail. */
export const inviteInitialAdministratorsRequestSchema = z.object({
  caller: callerSchema,
  consoleId: idSchema,
  consoleName: z.string().min(1).max(200),
  consoleLanguage: z.enum(LANGUAGES),
  /** The contract address and an optional service address. */
  administrators: z.array(administratorInputSchema).min(1).max(2),
});

export const consoleAdministratorsRequestSchema = z.object({
  caller: callerSchema,
  consoleId: idSchema,
});

export const administratorRefSchema = z.object({
  caller: callerSchema,
  consoleId: idSchema,
  administratorId: idSchema,
});

export const activationTokenRequestSchema = z.object({ caller: callerSchema, token: opaqueToken });

export const activationViewSchema = z.object({
  email: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  consoleName: z.string(),
  language: z.enum(LANGUAGES),
  expiresAt: z.string().datetime(),
});

export const activationFormSchema = z.object({
  temporaryPassword: secretText(200),
  password,
  securityCode: secretText(SECURITY_CODE_MAX_LENGTH),
  securityQuestion: questionText,
  securityAnswer: answerText,
});
export const completeActivationRequestSchema =
  activationTokenRequestSchema.merge(activationFormSchema);

export const emptyReplySchema = z.object({});

export const loginRequestSchema = z.object({
  caller: callerSchema,
  /** An e-mail address or a phone number. */
  login: z.string().min(1).max(254),
  password: secretText(200),
});

export const loginIdSchema = opaqueToken;

export const loginChallengeSchema = z.object({
  loginId: loginIdSchema,
  step: z.literal('security_code'),
  /** 1-based positions of the security code to type, in this order; never equal. */
  positions: z.tuple([z.number().int().min(1), z.number().int().min(1)]),
});

export const sessionSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Seconds the access token is valid for. */
  expiresIn: z.number().int().positive(),
  twoFactor: z.enum(TWO_FACTOR_STATES),
});
export type Session = z.infer<typeof sessionSchema>;

export const totpChallengeSchema = z.object({ loginId: loginIdSchema, step: z.literal('totp') });

export const securityCodeRequestSchema = z.object({
  caller: callerSchema,
  loginId: loginIdSchema,
  /** The two characters asked for, in the order asked. */
  characters: z.string().min(1).max(16),
});
export const securityCodeReplySchema = z.union([totpChallengeSchema, sessionSchema]);

const totpCode = z.string().regex(/^[0-9]{6}$/, 'must be 6 digits');
const recoveryCode = z.string().regex(/^[A-Za-z0-9-]{8,32}$/, 'malformed recovery code');

export const totpRequestSchema = z.object({
  caller: callerSchema,
  loginId: loginIdSchema,
  code: totpCode.optional(),
  recoveryCode: recoveryCode.optional(),
});

export const refreshRequestSchema = z.object({
  caller: callerSchema,
  refreshToken: z.string().min(1).max(300),
});

export const logoutRequestSchema = z.object({ caller: callerSchema, sessionId: idSchema });
export const logoutReplySchema = z.object({ revoked: z.boolean() });

export const startRecoveryRequestSchema = z.object({
  caller: callerSchema,
  email: z.string().min(1).max(254),
});
export const recoveryChallengeSchema = z.object({ recoveryId: opaqueToken, question: z.string() });
export const answerRecoveryRequestSchema = z.object({
  caller: callerSchema,
  recoveryId: opaqueToken,
  answer: answerText,
});
export const resetPasswordRequestSchema = z.object({
  caller: callerSchema,
  token: opaqueToken,
  password,
});

export const callerOnlySchema = z.object({ caller: callerSchema });

export const meSchema = z.object({
  id: idSchema,
  consoleId: idSchema,
  consoleName: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  firstName: z.string(),
  lastName: z.string(),
  language: z.enum(LANGUAGES),
  accountType: z.enum(ACCOUNT_TYPES),
  kind: z.enum(ADMIN_KINDS),
  /** Site id → access level; a super admin has `admin` on every site. */
  siteAccess: z.record(z.enum(['admin', 'view_only', 'no_access'])),
  twoFactor: z.enum(TWO_FACTOR_STATES),
});
export type Me = z.infer<typeof meSchema>;

export const updateMeRequestSchema = z.object({
  caller: callerSchema,
  language: z.enum(LANGUAGES),
});
export const changePasswordRequestSchema = z.object({
  caller: callerSchema,
  /** The session asking: it goes on, every other session of the account ends. */
  sessionId: idSchema,
  currentPassword: secretText(200),
  newPassword: password,
});

export const twoFactorAnswerSchema = z.object({ question: questionText, answer: answerText });
export const startTwoFactorSetupRequestSchema = z.object({
  caller: callerSchema,
  answers: z
    .array(twoFactorAnswerSchema)
    .length(2)
    .refine(
      ([a, b]) => a!.question.trim().toLowerCase() !== b!.question.trim().toLowerCase(),
      'two different questions',
    ),
});
export const twoFactorSetupSchema = z.object({
  setupId: opaqueToken,
  /** Base32, for typing into an authenticator by hand. */
  secret: z.string(),
  otpauthUri: z.string().startsWith('otpauth://totp/'),
  /** The otpauth URI as a QR code: a PNG data URL. */
  qrCode: z.string().startsWith('data:image/png;base64,'),
  expiresAt: z.string().datetime(),
});
export const confirmTwoFactorSetupRequestSchema = z.object({
  caller: callerSchema,
  setupId: opaqueToken,
  code: totpCode,
});
export const recoveryCodesSchema = z.object({
  recoveryCodes: z.array(z.string()).length(RECOVERY_CODE_COUNT),
});
export const cancelTwoFactorSetupRequestSchema = z.object({
  caller: callerSchema,
  setupId: opaqueToken,
});
export const disableTwoFactorRequestSchema = z.object({
  caller: callerSchema,
  password: secretText(200),
  code: totpCode,
});

/** The gateway refused an address for too many sign-in requests: identity audits it. */
export const rateLimitedReportSchema = z.object({
  caller: callerSchema,
  bucket: z.string().min(1).max(100),
  windowSeconds: z.number().int().positive(),
});

// Administrators managed from the console (super admins) and the ops API.

/** What a super admin sets per site: `no_access` is the same as leaving the site out. */
export const SITE_PERMISSION_LEVELS = ['admin', 'view_only', 'no_access'] as const;
export const sitePermissionsSchema = z.record(idSchema, z.enum(SITE_PERMISSION_LEVELS));

export const addAdministratorRequestSchema = administratorInputSchema.extend({
  caller: callerSchema,
  /** Same key, same administrator: a retried add invites once. */
  idempotencyKey: idempotencyKeySchema,
  accountType: z.enum(ACCOUNT_TYPES),
  /** For `admin` accounts; ignored (must be empty) for super admins. */
  siteAccess: sitePermissionsSchema.default({}),
});

/** The provider adds its own support administrator to a console (ops API only). */
export const addProviderSupportRequestSchema = administratorInputSchema.extend({
  caller: callerSchema,
  consoleId: idSchema,
  idempotencyKey: idempotencyKeySchema,
});

export const listAdministratorsRequestSchema = z.object({
  caller: callerSchema,
  state: z.enum(ADMIN_STATES).optional(),
  limit: z.number().int().min(1).max(200).default(50),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
});
export const administratorPageSchema = z.object({
  items: z.array(administratorSchema),
  nextCursor: z.string().nullable(),
});

/** The caller's console's administrator (console API: the console comes from the token). */
export const consoleAdministratorRefSchema = z.object({
  caller: callerSchema,
  administratorId: idSchema,
});

export const updateAdministratorRequestSchema = consoleAdministratorRefSchema.extend({
  patch: changesOf({
    firstName: personNameSchema,
    lastName: personNameSchema,
    phone: phoneSchema.nullable(),
    language: z.enum(LANGUAGES),
    accountType: z.enum(ACCOUNT_TYPES),
    siteAccess: sitePermissionsSchema,
  }),
});

/**
 * Who is alerted about a site (a removal that could not be verified, issue
 * 12): the console's active super admins and the active administrators with
 * `admin` access to the site, each with their language.
 */
export const alertRecipientsRequestSchema = z.object({
  caller: callerSchema,
  consoleId: idSchema,
  siteId: idSchema,
});
export const alertRecipientsSchema = z.object({
  recipients: z.array(z.object({ email: z.string(), language: z.enum(LANGUAGES) })),
});
