import { z } from 'zod';
import { defineRpc } from '../contract';
import { DOMAIN_SERVICES, type DomainService } from '../services';

export const healthStatusSchema = z.enum(['up', 'down']);
export type HealthStatus = z.infer<typeof healthStatusSchema>;

export const dependencyHealthSchema = z.object({
  /** `mongodb`, `redis`, … */
  name: z.string(),
  status: healthStatusSchema,
  latencyMs: z.number().nonnegative(),
  /** Why it is down; never a stack or a connection string. */
  error: z.string().optional(),
});
export type DependencyHealth = z.infer<typeof dependencyHealthSchema>;

export const serviceHealthSchema = z.object({
  service: z.enum(DOMAIN_SERVICES),
  status: healthStatusSchema,
  /** Distinguishes copies of one service running in the same queue group. */
  instanceId: z.string().uuid(),
  version: z.string(),
  uptimeSeconds: z.number().nonnegative(),
  dependencies: z.array(dependencyHealthSchema),
});
export type ServiceHealth = z.infer<typeof serviceHealthSchema>;

export const healthCheckRequestSchema = z.object({}).strict();

const healthRpcFor = (service: DomainService) =>
  defineRpc(`${service}.health.check.v1`, healthCheckRequestSchema, serviceHealthSchema);

/** `<service>.health.check.v1` for each domain service. */
export const healthCheckRpc = Object.fromEntries(
  DOMAIN_SERVICES.map((service) => [service, healthRpcFor(service)]),
) as Record<DomainService, ReturnType<typeof healthRpcFor>>;
