import { z } from 'zod';

/**
 * Stable error codes, shared by every service and the gateway. Clients match on
 * them, so never rename one; add new codes instead. The gateway's HTTP status
 * table is typed against this list, so a new code cannot ship without a status.
 */
export const ERROR_CODES = [
  // generic
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
  /** The request was sent but no answer came in time: it may or may not have taken effect. */
  'OUTCOME_UNKNOWN',
  /** An Idempotency-Key used again with a different request. */
  'IDEMPOTENCY_KEY_REUSED',
  // the HTTP edge: requests refused before any route runs
  'ROUTE_NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'MALFORMED_REQUEST',
  'URI_TOO_LONG',
  'HEADERS_TOO_LARGE',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  // licensing
  'CONSOLE_NOT_FOUND',
  'CONSOLE_SUSPENDED',
  'CONSOLE_TRIAL_EXPIRED',
  'CONSOLE_NOT_TRIAL',
  'SITE_NOT_FOUND',
  'KEYCODE_INVALID',
  'SEAT_LIMIT_REACHED',
  'SEAT_LEASE_NOT_FOUND',
  // identity: sign-in
  /** Any failed sign-in step: the same code whichever factor was wrong, or whether the login exists. */
  'LOGIN_FAILED',
  /** Right password, but the account is locked after too many failures (details.lockedUntil). */
  'ACCOUNT_LOCKED',
  /** Right password, but the account was disabled by an administrator. */
  'ACCOUNT_DISABLED',
  /** A refresh token that is unknown, expired, revoked or already rotated. */
  'SESSION_INVALID',
  /** A password or code given to confirm a change of one's own account is wrong. */
  'CREDENTIALS_INCORRECT',
  'ACTIVATION_LINK_UNKNOWN',
  'ACTIVATION_LINK_EXPIRED',
  'ACTIVATION_LINK_USED',
  /** A newer activation e-mail was sent; only its link works. */
  'ACTIVATION_LINK_REPLACED',
  /** Too many wrong temporary passwords on one link: ask for a new one. */
  'ACTIVATION_LINK_LOCKED',
  'RESET_LINK_UNKNOWN',
  'RESET_LINK_EXPIRED',
  'RESET_LINK_USED',
  'TWO_FACTOR_SETUP_NOT_FOUND',
  'TWO_FACTOR_ALREADY_ENABLED',
  'TWO_FACTOR_NOT_ENABLED',
  /** The code typed to confirm a 2FA setup does not match the new secret. */
  'TWO_FACTOR_CODE_INVALID',
  // identity: administrators
  'ADMINISTRATOR_NOT_FOUND',
  /** E-mail addresses are login ids: unique across every console. */
  'ADMIN_EMAIL_TAKEN',
  'ADMIN_PHONE_TAKEN',
  'ADMIN_ALREADY_ACTIVE',
  /** The change would leave the console without an active (customer) super admin. */
  'LAST_SUPER_ADMIN',
  /** Provider-support administrators are changed only by the provider (ops API). */
  'PROVIDER_SUPPORT_PROTECTED',
  /** An administrator cannot disable, demote or delete their own account. */
  'CANNOT_CHANGE_SELF',
  // policy
  'POLICY_NOT_FOUND',
  /** Policy names are unique per console without regard to case, built-ins' included. */
  'POLICY_NAME_TAKEN',
  /** Built-in policies are read-only: copy one to change it. */
  'POLICY_BUILTIN_READ_ONLY',
  /** The policy is a site default, a group's or an endpoint's: details say where. */
  'POLICY_IN_USE',
  /** Someone saved the policy since the version the editor read (If-Match). */
  'POLICY_VERSION_CONFLICT',
  // inventory
  'ENDPOINT_NOT_FOUND',
  'GROUP_NOT_FOUND',
  /** Group names are unique per site without regard to case. */
  'GROUP_NAME_TAKEN',
  /** "Deactivated devices" cannot be renamed or deleted, nor the site's default group deleted. */
  'GROUP_SYSTEM_PROTECTED',
  /** A table cursor that is malformed or was made for another filter or sort. */
  'CURSOR_INVALID',
  // the agent API
  /** A device token that is unknown, malformed or replaced by a re-enrolment. */
  'DEVICE_TOKEN_INVALID',
  // commands
  'COMMAND_NOT_FOUND',
  'BULK_NOT_FOUND',
  /** Only a pending command can be cancelled: it was delivered or has ended. */
  'COMMAND_NOT_CANCELLABLE',
  /** A bulk's confirmation token that is unknown, another administrator's, or already used for another issue. */
  'CONFIRMATION_TOKEN_INVALID',
  /** A bulk's confirmation token past its `expiresAt`: preview again. */
  'CONFIRMATION_TOKEN_EXPIRED',
  /** No endpoint to command: the selection, group, site or filter has none that can take it. */
  'COMMAND_TARGET_EMPTY',
  /** More endpoints than one bulk may reach (details.limit). */
  'COMMAND_TARGET_TOO_LARGE',
  /** The endpoint is deactivated or being deactivated: it takes no command. */
  'ENDPOINT_NOT_COMMANDABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** How an error crosses NATS and HTTP: `{ code, message, details }`. */
export const errorBodySchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.record(z.unknown()).optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/**
 * The HTTP error envelope the gateway returns. `requestId` is the request's
 * id (also the `X-Request-Id` reply header), the one every log line written
 * for that request carries, so support can find them from a client's report.
 */
export interface ErrorEnvelope {
  error: ErrorBody & { requestId: string };
}
