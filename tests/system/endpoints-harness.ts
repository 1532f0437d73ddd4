import type {
  Administrator,
  AgentDetection,
  CheckinBody,
  CheckinReply,
  EnrollBody,
  EnrollReply,
  Site,
} from '@warden/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import { type Account, type Call, type consoleClient, PASSWORD } from './console-client';
import { newAdministrator } from './system-under-test';

/*
 * What the endpoint, group, installer, policy-delivery and agent CLI system
 * tests share: a console with a site of their own size, administrators with
 * access to it, and agents that enrol and check in through the public agent
 * API.
 */

type Client = ReturnType<typeof consoleClient>;

export interface Fleet {
  account: Account;
  /** The super admin's access token. */
  token: string;
  siteId: string;
  keycode: string;
}

/** A console whose super admin has signed in, with a site of `seats` seats of its own. */
export async function openFleet(client: Client, opsToken: string, seats = 50): Promise<Fleet> {
  const account = await client.register();
  const token = (await client.signIn(account)).accessToken;
  const site = await client.call<Site>('POST', `/ops/v1/consoles/${account.consoleId}/sites`, {
    token: opsToken,
    headers: { 'idempotency-key': randomUUID() },
    body: { name: `Fleet ${randomUUID().slice(0, 6)}`, seats },
  });
  if (site.status !== 201) throw new Error(`adding a site: ${site.status} ${site.text}`);
  return { account, token, siteId: site.body.id, keycode: site.body.keycode };
}

/** An `admin` account of the fleet's console with this access to its site, signed in. */
export async function siteAdministrator(
  client: Client,
  fleet: Pick<Fleet, 'token' | 'siteId'>,
  level: 'admin' | 'view_only',
): Promise<string> {
  const invitee = newAdministrator();
  const added = await client.call<Administrator>('POST', '/api/v1/administrators', {
    token: fleet.token,
    headers: { 'idempotency-key': randomUUID() },
    body: { ...invitee, accountType: 'admin', siteAccess: { [fleet.siteId]: level } },
  });
  if (added.status !== 201) throw new Error(`adding an administrator: ${added.status}`);
  await client.activate(invitee.email);
  return (await client.signIn({ email: invitee.email, password: PASSWORD })).accessToken;
}

/** A device as an agent describes itself at enrolment: a new machine unless `hardwareKey` says. */
export function newDevice(keycode: string, overrides: Partial<EnrollBody> = {}): EnrollBody {
  return {
    keycode,
    hardwareKey: `hw-${randomBytes(8).toString('hex')}`,
    hostname: `pc-${randomBytes(3).toString('hex')}`,
    os: { family: 'windows', version: '11 23H2' },
    agentVersion: '1.0.0',
    ...overrides,
  };
}

/** `POST /agent/v1/enroll`: fails the test unless the agent is enrolled. */
export async function enrol(
  call: Call,
  keycode: string,
  overrides: Partial<EnrollBody> = {},
): Promise<EnrollReply> {
  const reply = await call<EnrollReply>('POST', '/agent/v1/enroll', {
    body: newDevice(keycode, overrides),
  });
  if (reply.status !== 200 && reply.status !== 201) {
    throw new Error(`enrolment: ${reply.status} ${reply.text}`);
  }
  return reply.body;
}

/** Enrols `hostnames.length` devices one after the other (their enrolment times in that order). */
export async function enrolAll(
  call: Call,
  keycode: string,
  devices: Partial<EnrollBody>[],
): Promise<EnrollReply[]> {
  const enrolled: EnrollReply[] = [];
  for (const device of devices) enrolled.push(await enrol(call, keycode, device));
  return enrolled;
}

/** `POST /agent/v1/checkin` with the device's token. */
export function checkin(call: Call, deviceToken: string, body: Partial<CheckinBody> = {}) {
  return call<CheckinReply>('POST', '/agent/v1/checkin', {
    token: deviceToken,
    body: { policyVersion: null, status: 'ok', detections: [], ...body },
  });
}

/** A threat the agent found and could only report (the endpoint is infected until it says ok). */
export function detection(overrides: Partial<AgentDetection> = {}): AgentDetection {
  return {
    id: randomUUID(),
    threatName: 'EICAR-Test-File',
    path: 'C:\\Users\\sales\\Downloads\\eicar.com',
    hash: '44d88612fea8a8f36de82e1278abb02f',
    actionTaken: 'detected',
    detectedAt: new Date().toISOString(),
    ...overrides,
  };
}
