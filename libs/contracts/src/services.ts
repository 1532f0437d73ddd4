/** The domain services behind the gateway. Each is also its NATS queue group name. */
export const DOMAIN_SERVICES = ['identity', 'policy', 'inventory', 'licensing', 'command'] as const;
export type DomainService = (typeof DOMAIN_SERVICES)[number];

/** Every runnable service, gateway included. */
export const SERVICES = ['gateway', ...DOMAIN_SERVICES] as const;
export type ServiceName = (typeof SERVICES)[number];
