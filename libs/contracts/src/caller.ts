import { z } from 'zod';
import { idSchema } from './ids';

/**
 * Who did something: a provider operator, a console administrator, an agent,
 * the system, or someone not signed in yet (a sign-in or activation attempt).
 */
export const actorSchema = z.object({
  type: z.enum(['operator', 'admin', 'device', 'system', 'anonymous']),
  /** Operator token fingerprint, admin id, device id, the job name for `system`, `anonymous`. */
  id: z.string().min(1).max(200),
});
export type Actor = z.infer<typeof actorSchema>;

export const SITE_ACCESS_LEVELS = ['admin', 'view_only'] as const;

/**
 * Who is calling, from where, and within which console: the first argument of
 * every service method (`service.verb(caller, input)`), sent with every
 * request by the gateway from the caller's credentials — never from a path or
 * a body. Services audit with it and scope every console-facing query by
 * `consoleId` (`tenantOf(caller)`).
 */
export const callerSchema = z.object({
  actor: actorSchema,
  sourceIp: z.string().max(100).optional(),
  /** The console (tenant) an administrator or agent acts in; absent for operators and the system. */
  consoleId: idSchema.optional(),
  /** An administrator's access per site (site id → level); absent when not limited per site. */
  siteAccess: z.record(idSchema, z.enum(SITE_ACCESS_LEVELS)).optional(),
});
export type Caller = z.infer<typeof callerSchema>;
