import { type DynamicModule, Module } from '@nestjs/common';
import { identityEvents } from '@warden/contracts';
import {
  AUDIT_EVENT,
  AuditPublisher,
  EventsModule,
  type Logger,
  MailQueueModule,
  platformModules,
} from '@warden/platform';
import { ActivationLinkRepository } from './activation/activation-link.repository';
import { ActivationHandler } from './activation/activation.handler';
import { ActivationService } from './activation/activation.service';
import { AdministratorHandler } from './administrators/administrator.handler';
import { AdministratorRepository } from './administrators/administrator.repository';
import { AdministratorService } from './administrators/administrator.service';
import { SuperAdminGuard } from './administrators/super-admin-guard';
import { AuditHandler } from './audit/audit.handler';
import { AuditEventRepository } from './audit-trail/audit-event.repository';
import { AuditTrailHandler } from './audit-trail/audit-trail.handler';
import { AuditTrailService } from './audit-trail/audit-trail.service';
import { AuditTrailSubscriber } from './audit-trail/audit-trail.subscriber';
import { IdentityAudit } from './audit/identity-audit';
import type { IdentityConfig } from './config';
import { ExpiredRecordsSweeper } from './expired-records.sweeper';
import { IDENTITY_CONFIG } from './identity.tokens';
import { IdentityMailer } from './mail/identity-mailer';
import { MeHandler } from './me/me.handler';
import { MeService } from './me/me.service';
import { RecoveryRepository } from './recovery/recovery.repository';
import { RecoveryService } from './recovery/recovery.service';
import { PasswordHasher } from './secrets/password-hasher';
import { SecretBox } from './secrets/secret-box';
import { AccessTokenSigner } from './sessions/access-token.signer';
import { SessionRepository } from './sessions/session.repository';
import { SessionService } from './sessions/session.service';
import { LoginAttemptRepository } from './sign-in/login-attempt.repository';
import { LoginService } from './sign-in/login.service';
import { SignInFailures } from './sign-in/sign-in-failures';
import { SignInHandler } from './sign-in/sign-in.handler';
import { TwoFactorSetupRepository } from './two-factor/two-factor-setup.repository';
import { TwoFactorService } from './two-factor/two-factor.service';

@Module({})
export class IdentityModule {
  static register(config: IdentityConfig, logger: Logger): DynamicModule {
    return {
      module: IdentityModule,
      imports: [
        ...platformModules(config, logger),
        EventsModule.forRoot({
          service: config.service,
          natsUrl: config.natsUrl,
          publishes: Object.values(identityEvents),
        }),
        MailQueueModule.forRoot({ redisUrl: config.redisUrl, prefix: config.mailQueuePrefix }),
      ],
      controllers: [
        AdministratorHandler,
        ActivationHandler,
        SignInHandler,
        MeHandler,
        AuditHandler,
        // The audit trail: every service's audit events, stored and read.
        AuditTrailHandler,
      ],
      providers: [
        { provide: IDENTITY_CONFIG, useValue: config },
        { provide: AUDIT_EVENT, useValue: identityEvents.auditRecorded },
        { provide: SecretBox, useValue: new SecretBox(config.secretsEncryptionKey) },
        AuditPublisher,
        IdentityAudit,
        IdentityMailer,
        PasswordHasher,
        AccessTokenSigner,
        AdministratorRepository,
        ActivationLinkRepository,
        LoginAttemptRepository,
        SessionRepository,
        TwoFactorSetupRepository,
        RecoveryRepository,
        SuperAdminGuard,
        AdministratorService,
        ActivationService,
        SignInFailures,
        SessionService,
        LoginService,
        TwoFactorService,
        RecoveryService,
        MeService,
        ExpiredRecordsSweeper,
        // The audit trail: every service's audit events, stored and read.
        AuditEventRepository,
        AuditTrailService,
        AuditTrailSubscriber,
      ],
    };
  }
}
