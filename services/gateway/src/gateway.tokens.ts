export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
/** The gateway's Redis connection (rate limits), separate from BullMQ's kind of connection. */
export const GATEWAY_REDIS = Symbol('GATEWAY_REDIS');
