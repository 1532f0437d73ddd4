import { auditEventSchema } from '../audit/audit.contract';
import { defineEvent, defineRpc, type ParsedRequestOf } from '../contract';
import {
  alertRecipientsRequestSchema,
  alertRecipientsSchema,
  activationTokenRequestSchema,
  addAdministratorRequestSchema,
  addProviderSupportRequestSchema,
  administratorPageSchema,
  consoleAdministratorRefSchema,
  listAdministratorsRequestSchema,
  updateAdministratorRequestSchema,
  activationViewSchema,
  administratorListSchema,
  administratorRefSchema,
  administratorSchema,
  answerRecoveryRequestSchema,
  callerOnlySchema,
  cancelTwoFactorSetupRequestSchema,
  changePasswordRequestSchema,
  completeActivationRequestSchema,
  confirmTwoFactorSetupRequestSchema,
  consoleAdministratorsRequestSchema,
  disableTwoFactorRequestSchema,
  emptyReplySchema,
  inviteInitialAdministratorsRequestSchema,
  loginChallengeSchema,
  loginRequestSchema,
  logoutReplySchema,
  logoutRequestSchema,
  meSchema,
  rateLimitedReportSchema,
  recoveryChallengeSchema,
  recoveryCodesSchema,
  refreshRequestSchema,
  resetPasswordRequestSchema,
  securityCodeReplySchema,
  securityCodeRequestSchema,
  sessionSchema,
  startRecoveryRequestSchema,
  startTwoFactorSetupRequestSchema,
  totpRequestSchema,
  twoFactorSetupSchema,
  updateMeRequestSchema,
} from './identity.schemas';

/** Administrators, their sign-in, sessions and second factor: everything identity answers. */
export const identityRpc = {
  // The provider (ops API)
  inviteInitialAdministrators: defineRpc(
    'identity.administrator.invite-initial.v1',
    inviteInitialAdministratorsRequestSchema,
    administratorListSchema,
  ),
  listConsoleAdministrators: defineRpc(
    'identity.administrator.list.v1',
    consoleAdministratorsRequestSchema,
    administratorListSchema,
  ),
  /** The addresses alerted about a site (issue 12's unverified removals). */
  alertRecipients: defineRpc(
    'identity.administrator.alert-recipients.v1',
    alertRecipientsRequestSchema,
    alertRecipientsSchema,
  ),
  resendActivation: defineRpc(
    'identity.activation.resend.v1',
    administratorRefSchema,
    administratorSchema,
  ),

  // Activation (the link in the e-mail)
  getActivation: defineRpc(
    'identity.activation.get.v1',
    activationTokenRequestSchema,
    activationViewSchema,
  ),
  completeActivation: defineRpc(
    'identity.activation.complete.v1',
    completeActivationRequestSchema,
    emptyReplySchema,
  ),

  // Login, three steps (DESIGN §7b), and sessions
  login: defineRpc('identity.login.start.v1', loginRequestSchema, loginChallengeSchema),
  loginSecurityCode: defineRpc(
    'identity.login.security-code.v1',
    securityCodeRequestSchema,
    securityCodeReplySchema,
  ),
  loginTotp: defineRpc('identity.login.totp.v1', totpRequestSchema, sessionSchema),
  refreshSession: defineRpc('identity.session.refresh.v1', refreshRequestSchema, sessionSchema),
  logout: defineRpc('identity.session.revoke.v1', logoutRequestSchema, logoutReplySchema),

  // Password recovery
  startRecovery: defineRpc(
    'identity.recovery.start.v1',
    startRecoveryRequestSchema,
    recoveryChallengeSchema,
  ),
  answerRecovery: defineRpc(
    'identity.recovery.answer.v1',
    answerRecoveryRequestSchema,
    emptyReplySchema,
  ),
  resetPassword: defineRpc(
    'identity.recovery.reset.v1',
    resetPasswordRequestSchema,
    emptyReplySchema,
  ),

  // The signed-in administrator
  getMe: defineRpc('identity.me.get.v1', callerOnlySchema, meSchema),
  updateMe: defineRpc('identity.me.update.v1', updateMeRequestSchema, meSchema),
  changePassword: defineRpc(
    'identity.me.change-password.v1',
    changePasswordRequestSchema,
    emptyReplySchema,
  ),
  startTwoFactorSetup: defineRpc(
    'identity.two-factor.setup.v1',
    startTwoFactorSetupRequestSchema,
    twoFactorSetupSchema,
  ),
  confirmTwoFactorSetup: defineRpc(
    'identity.two-factor.confirm.v1',
    confirmTwoFactorSetupRequestSchema,
    recoveryCodesSchema,
  ),
  cancelTwoFactorSetup: defineRpc(
    'identity.two-factor.cancel.v1',
    cancelTwoFactorSetupRequestSchema,
    emptyReplySchema,
  ),
  disableTwoFactor: defineRpc(
    'identity.two-factor.disable.v1',
    disableTwoFactorRequestSchema,
    emptyReplySchema,
  ),

  // Administrators of the caller's console (console API, super admins)
  listAdministrators: defineRpc(
    'identity.administrator.page.v1',
    listAdministratorsRequestSchema,
    administratorPageSchema,
  ),
  getAdministrator: defineRpc(
    'identity.administrator.get.v1',
    consoleAdministratorRefSchema,
    administratorSchema,
  ),
  addAdministrator: defineRpc(
    'identity.administrator.add.v1',
    addAdministratorRequestSchema,
    administratorSchema,
  ),
  updateAdministrator: defineRpc(
    'identity.administrator.update.v1',
    updateAdministratorRequestSchema,
    administratorSchema,
  ),
  resendInvitation: defineRpc(
    'identity.administrator.resend-invitation.v1',
    consoleAdministratorRefSchema,
    administratorSchema,
  ),
  unlockAdministrator: defineRpc(
    'identity.administrator.unlock.v1',
    consoleAdministratorRefSchema,
    administratorSchema,
  ),
  resetAdministratorTwoFactor: defineRpc(
    'identity.administrator.reset-two-factor.v1',
    consoleAdministratorRefSchema,
    administratorSchema,
  ),
  disableAdministrator: defineRpc(
    'identity.administrator.disable.v1',
    consoleAdministratorRefSchema,
    administratorSchema,
  ),
  enableAdministrator: defineRpc(
    'identity.administrator.enable.v1',
    consoleAdministratorRefSchema,
    administratorSchema,
  ),
  deleteAdministrator: defineRpc(
    'identity.administrator.delete.v1',
    consoleAdministratorRefSchema,
    emptyReplySchema,
  ),
  /** Ops API only: the provider's support account in a customer's console. */
  addProviderSupport: defineRpc(
    'identity.administrator.add-provider-support.v1',
    addProviderSupportRequestSchema,
    administratorSchema,
  ),

  /** The gateway reports an address over its sign-in limit, to be audited. */
  reportRateLimited: defineRpc(
    'identity.audit.rate-limited.v1',
    rateLimitedReportSchema,
    emptyReplySchema,
  ),
} as const;

/** The validated request an identity handler receives for one of the subjects above. */
export type IdentityRequest<K extends keyof typeof identityRpc> = ParsedRequestOf<
  (typeof identityRpc)[K]
>;

/** What identity publishes, durably on its stream `WARDEN_IDENTITY` (docs/adr/0005). */
export const identityEvents = {
  auditRecorded: defineEvent('identity.audit.recorded.v1', auditEventSchema),
} as const;
