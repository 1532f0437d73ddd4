import { z } from 'zod';
import { idSchema } from '../ids';
import { hardwareKeySchema } from '../licensing/licensing.schemas';
import { agentPolicySchema } from '../policy/policy.schemas';

/*
 * The agent protocol (DESIGN §7): the JSON bodies of `/agent/v1`, shared by the
 * gateway (which validates them) and the reference agent (tools/agent, which
 * imports only these types). Changing a shape here changes what every
 * installed agent speaks: add optional fields, never rename.
 */

export const OS_FAMILIES = ['windows', 'macos', 'linux'] as const;
export type OsFamily = (typeof OS_FAMILIES)[number];

export const osSchema = z.object({
  family: z.enum(OS_FAMILIES),
  /** As the OS reports it: "11 23H2", "14.4", "Debian 12". */
  version: z.string().trim().min(1).max(100),
});
export type AgentOs = z.infer<typeof osSchema>;

export const hostnameSchema = z.string().trim().min(1).max(255);
export const agentVersionSchema = z.string().trim().min(1).max(50);

/** `POST /agent/v1/enroll`: the keycode as typed (normalised by licensing) and the device. */
export const enrollBodySchema = z
  .object({
    keycode: z.string().max(100),
    hardwareKey: hardwareKeySchema,
    hostname: hostnameSchema,
    os: osSchema,
    agentVersion: agentVersionSchema,
    /** Optional, shown in the endpoint's detail. */
    mac: z
      .string()
      .regex(/^[0-9a-fA-F]{2}([:-][0-9a-fA-F]{2}){5}$/)
      .optional(),
  })
  .strict();
export type EnrollBody = z.infer<typeof enrollBodySchema>;

/**
 * The device's credentials (shown once: only a hash is kept) and the policy
 * it starts with. `policyVersion` is the policy's compact version tag, which
 * the agent sends back on every check-in.
 */
export const enrollReplySchema = z.object({
  deviceId: idSchema,
  /** `<deviceId>.<secret>`: the bearer token of every later agent call. */
  deviceToken: z.string(),
  pollSeconds: z.number().int().positive(),
  policy: agentPolicySchema,
  policyVersion: z.string(),
});
export type EnrollReply = z.infer<typeof enrollReplySchema>;

/**
 * What an agent found and did. `actionTaken: 'detected'` means it only
 * detected the threat (not remediated): the endpoint shows `infected` until
 * the agent reports `status: 'ok'` again.
 */
export const DETECTION_ACTIONS = ['blocked', 'quarantined', 'removed', 'detected'] as const;
export type DetectionAction = (typeof DETECTION_ACTIONS)[number];

export const agentDetectionSchema = z
  .object({
    /** Chosen by the agent, unique per agent: a detection sent twice is stored once. */
    id: z.string().trim().min(1).max(100),
    threatName: z.string().trim().min(1).max(200),
    path: z.string().min(1).max(1000),
    /** The file's hash, hex (MD5, SHA-1 or SHA-256). */
    hash: z.string().regex(/^[0-9a-fA-F]{32,128}$/),
    actionTaken: z.enum(DETECTION_ACTIONS),
    detectedAt: z.string().datetime(),
  })
  .strict();
export type AgentDetection = z.infer<typeof agentDetectionSchema>;

/** The agent's own view: `threats_active` while a threat it found is not remediated. */
export const AGENT_STATUSES = ['ok', 'threats_active'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export const MAX_DETECTIONS_PER_CHECKIN = 100;

/** `POST /agent/v1/checkin` (device token). */
export const checkinBodySchema = z
  .object({
    /** The version tag of the policy the agent applies; null before it has one. */
    policyVersion: z.string().max(100).nullable(),
    status: z.enum(AGENT_STATUSES),
    detections: z.array(agentDetectionSchema).max(MAX_DETECTIONS_PER_CHECKIN).default([]),
    /** Sent when it changed (an upgrade); the endpoint table shows it. */
    agentVersion: agentVersionSchema.optional(),
  })
  .strict();
export type CheckinBody = z.infer<typeof checkinBodySchema>;

/**
 * A command for the agent, delivered on every check-in until the agent
 * acknowledges it. `type` and `parameters` follow the catalogue
 * (`command/command-catalogue.ts`); `type` stays a plain string here so an
 * older agent can read a type it does not know, and acknowledge it `failed`.
 */
export const agentCommandSchema = z.object({
  id: idSchema,
  type: z.string(),
  parameters: z.record(z.unknown()),
});
export type AgentCommand = z.infer<typeof agentCommandSchema>;

export const checkinReplySchema = z.object({
  /** The policy's poll interval with ±10 % jitter. */
  nextCheckinSeconds: z.number().int().positive(),
  /** Only when the agent's `policyVersion` is not the current one. */
  policy: agentPolicySchema.optional(),
  commands: z.array(agentCommandSchema),
});
export type CheckinReply = z.infer<typeof checkinReplySchema>;

/**
 * `POST /agent/v1/commands/{id}/ack` (device token): what became of a
 * command. Idempotent: a second ack, or one after the command was cancelled
 * or expired, changes nothing and the reply says so (`recorded: false`).
 */
export const commandAckBodySchema = z
  .object({
    outcome: z.enum(['succeeded', 'failed']),
    /** What the agent has to say (an error, "scan found 2 threats"…), shown in the console. */
    message: z.string().max(1000).default(''),
  })
  .strict();
export type CommandAckBody = z.infer<typeof commandAckBodySchema>;

/** The installer bundle's config file (`warden-agent.json`), read by the agent at `enroll`. */
export const agentBundleConfigSchema = z.object({
  /** The gateway's public URL the agent talks to. */
  server: z.string().url(),
  keycode: z.string(),
});
export type AgentBundleConfig = z.infer<typeof agentBundleConfigSchema>;
export const AGENT_BUNDLE_CONFIG_FILE = 'warden-agent.json';
