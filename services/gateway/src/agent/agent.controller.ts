import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  acknowledgeReplySchema,
  type AcknowledgeReply,
  type AgentPolicy,
  type CommandAckBody,
  commandAckBodySchema,
  commandRpc,
  type CheckinBody,
  checkinBodySchema,
  type CheckinReply,
  checkinReplySchema,
  type CheckinSeen,
  type EnrollBody,
  enrollBodySchema,
  type EnrollReply,
  enrollReplySchema,
  inventoryRpc,
  osSchema,
  pollIntervalSeconds,
} from '@warden/contracts';
import { NatsRpcClient } from '@warden/platform';
import { AgentEnrolment, CurrentDevice, Device, deviceCaller } from '../auth/device-auth';
import { ApiErrors, ApiReply, ApiZodBody } from '../http/openapi';
import { IdParam } from '../http/id-param';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { DeviceDirectory, type KnownDevice } from './device-directory';
import { DeviceMailboxes } from './device-mailboxes';
import { LastSeenBatcher } from './last-seen-batcher';
import { PolicyDirectory } from './policy-directory';

/** As the contract's, and closed to the last property, as every body the gateway takes. */
const enrollBody = enrollBodySchema.extend({ os: osSchema.strict() });

/** Who enrols: a device without an id yet (its audit entry names the device once it has one). */
const ENROLLING = { type: 'device', id: 'enrolment' } as const;

/**
 * The agent protocol (DESIGN §7, ADR 0011). Enrolment is orchestrated by
 * inventory; a check-in is answered from this gateway's memory (device and
 * policy directories) and costs the services nothing but a share of one
 * batched last-seen write — unless it reports detections, which are recorded
 * before it is answered.
 */
@ApiTags('agent')
@Controller('agent/v1')
export class AgentController {
  constructor(
    private readonly rpc: NatsRpcClient,
    private readonly devices: DeviceDirectory,
    private readonly policies: PolicyDirectory,
    private readonly lastSeen: LastSeenBatcher,
    private readonly mailboxes: DeviceMailboxes,
  ) {}

  @Post('enroll')
  @HttpCode(200)
  @AgentEnrolment()
  @ApiOperation({
    summary: 'Enrol a device with its site’s keycode: its token, and the policy it starts with',
    description:
      'Idempotent per (site, hardwareKey): the same device enrolling again (a re-install) keeps ' +
      'its id and its seat and gets a new token; the old one stops working. The token is shown ' +
      'once (only a hash is kept). `policyVersion` goes back on every check-in.',
  })
  @ApiZodBody(enrollBody)
  @ApiReply(200, enrollReplySchema)
  @ApiErrors(
    'VALIDATION_FAILED',
    'KEYCODE_INVALID',
    'SEAT_LIMIT_REACHED',
    'CONSOLE_SUSPENDED',
    'CONSOLE_TRIAL_EXPIRED',
    'OUTCOME_UNKNOWN',
  )
  async enroll(
    @Body(new ZodValidationPipe(enrollBody, 'body')) body: EnrollBody,
    @Ip() ip: string,
  ): Promise<EnrollReply> {
    const enrolled = await this.rpc.request(inventoryRpc.enroll, {
      ...body,
      caller: { actor: ENROLLING, sourceIp: ip },
      ip,
    });
    // Its old token must not work here even before inventory's event arrives.
    this.devices.forget(enrolled.deviceId);
    const found = this.policies.find(enrolled.consoleId, enrolled.policyId);
    const policy = found instanceof Promise ? await found : found;
    return {
      deviceId: enrolled.deviceId,
      deviceToken: enrolled.deviceToken,
      pollSeconds: pollIntervalSeconds(policy.settings.basic.poll_interval),
      policy,
      policyVersion: policy.versionTag,
    };
  }

  @Post('checkin')
  @HttpCode(200)
  @Device()
  @ApiOperation({
    summary: 'Check in: last seen, state and detections; the policy when it changed; commands',
    description:
      '`policy` is in the reply only when `policyVersion` is not the current one. ' +
      '`nextCheckinSeconds` is the policy’s poll interval ±10 %. A detection sent again ' +
      '(same `id`) is stored once, so a check-in that failed may be sent again as it was.',
  })
  @ApiZodBody(checkinBodySchema)
  @ApiReply(200, checkinReplySchema)
  @ApiErrors('VALIDATION_FAILED', 'OUTCOME_UNKNOWN')
  checkin(
    @Body(new ZodValidationPipe(checkinBodySchema, 'body')) body: CheckinBody,
    @CurrentDevice() device: KnownDevice,
    @Ip() ip: string,
  ): CheckinReply | Promise<CheckinReply> {
    // Taken first: an `ok` in the same check-in as a `detected` threat must not clear it.
    const seenAt = new Date().toISOString();
    const policy = this.policies.find(device.consoleId, device.policyId);
    if (body.detections.length === 0 && !(policy instanceof Promise)) {
      return this.answer(device, body, policy, seenAt, ip);
    }
    return this.slowCheckin(device, body, policy, seenAt, ip);
  }

  /** A check-in with detections, or whose policy is not in memory yet. */
  private async slowCheckin(
    device: KnownDevice,
    body: CheckinBody,
    policy: AgentPolicy | Promise<AgentPolicy>,
    seenAt: string,
    ip: string,
  ): Promise<CheckinReply> {
    if (body.detections.length > 0) {
      await this.rpc.request(inventoryRpc.recordDetections, {
        caller: deviceCaller(device, ip),
        deviceId: device.deviceId,
        detections: body.detections,
      });
      // The endpoint may be infected now: its next `ok` must reach inventory.
      device.passedOnStatus = undefined;
    }
    return this.answer(device, body, await policy, seenAt, ip);
  }

  private answer(
    device: KnownDevice,
    body: CheckinBody,
    policy: AgentPolicy,
    seenAt: string,
    ip: string,
  ): CheckinReply | Promise<CheckinReply> {
    const seen: CheckinSeen = { deviceId: device.deviceId, seenAt, ip };
    if (body.status !== device.passedOnStatus) {
      seen.status = body.status;
      device.passedOnStatus = body.status;
    }
    if (body.agentVersion !== undefined) seen.agentVersion = body.agentVersion;
    this.lastSeen.record(seen);

    const poll = pollIntervalSeconds(policy.settings.basic.poll_interval);
    const reply: CheckinReply = {
      nextCheckinSeconds: Math.max(1, Math.round(poll * (0.9 + Math.random() * 0.2))),
      commands: [],
    };
    if (body.policyVersion !== policy.versionTag) reply.policy = policy;
    const commands = this.mailboxes.forDevice(device);
    if (!(commands instanceof Promise)) {
      reply.commands = commands;
      return reply;
    }
    return commands.then((delivered) => ({ ...reply, commands: delivered }));
  }

  @Post('commands/:commandId/ack')
  @HttpCode(200)
  @Device()
  @ApiOperation({
    summary: 'Acknowledge a command: what became of it',
    description:
      'Idempotent: `recorded` is true for the acknowledgement that set the outcome; a ' +
      'duplicate, or one after the command was cancelled or expired, changes nothing and ' +
      'says why (`reason`). A command of another device is COMMAND_NOT_FOUND. The command ' +
      'is not delivered again once acknowledged.',
  })
  @ApiZodBody(commandAckBodySchema)
  @ApiReply(200, acknowledgeReplySchema)
  @ApiErrors('VALIDATION_FAILED', 'COMMAND_NOT_FOUND', 'OUTCOME_UNKNOWN')
  async acknowledge(
    @IdParam('commandId') commandId: string,
    @Body(new ZodValidationPipe(commandAckBodySchema, 'body')) body: CommandAckBody,
    @CurrentDevice() device: KnownDevice,
    @Ip() ip: string,
  ): Promise<AcknowledgeReply> {
    const reply = await this.rpc.request(commandRpc.acknowledge, {
      caller: deviceCaller(device, ip),
      deviceId: device.deviceId,
      commandId,
      outcome: body.outcome,
      message: body.message,
    });
    // Recorded, a duplicate, or ended meanwhile: done for this device, not delivered again from here.
    this.mailboxes.acknowledged(device.deviceId, commandId);
    return reply;
  }
}
