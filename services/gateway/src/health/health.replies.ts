import { DOMAIN_SERVICES, healthStatusSchema, serviceHealthSchema } from '@warden/contracts';
import { z } from 'zod';

/** Replies of /health/*, for the document; the controller's return types are checked against them. */
const dependencyStatus = z.object({
  name: z.string(),
  status: healthStatusSchema,
  latencyMs: z.number().nonnegative().optional(),
});

const serviceStatus = z.union([
  z.object({
    service: z.enum(DOMAIN_SERVICES),
    status: healthStatusSchema,
    instanceId: serviceHealthSchema.shape.instanceId,
    version: serviceHealthSchema.shape.version,
    uptimeSeconds: serviceHealthSchema.shape.uptimeSeconds,
    latencyMs: z.number().nonnegative(),
    dependencies: z.array(dependencyStatus),
  }),
  z.object({
    service: z.enum(DOMAIN_SERVICES),
    status: z.literal('down'),
    latencyMs: z.number().nonnegative(),
    /** Our own code and fixed message (e.g. SERVICE_UNAVAILABLE), nothing from the dependency. */
    error: z.object({ code: z.string(), message: z.string() }),
  }),
]);

const systemHealth = <S extends z.ZodTypeAny>(status: S) =>
  z.object({
    status,
    checkedAt: z.string().datetime(),
    gateway: z.object({
      status: z.literal('up'),
      version: z.string(),
      uptimeSeconds: z.number().nonnegative(),
      dependencies: z.array(dependencyStatus),
    }),
    services: z.object(
      Object.fromEntries(DOMAIN_SERVICES.map((service) => [service, serviceStatus])) as Record<
        (typeof DOMAIN_SERVICES)[number],
        typeof serviceStatus
      >,
    ),
  });

export const systemUpReply = systemHealth(z.literal('up'));
export const systemDownReply = systemHealth(z.literal('down'));
export type SystemHealthReply = z.output<
  ReturnType<typeof systemHealth<typeof healthStatusSchema>>
>;

export const upReply = z.object({ status: z.literal('up') });
export const downReply = z.object({ status: z.literal('down') });
