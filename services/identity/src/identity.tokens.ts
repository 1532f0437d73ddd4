/** Injection token of the identity service's parsed configuration. */
export const IDENTITY_CONFIG = Symbol('IDENTITY_CONFIG');
