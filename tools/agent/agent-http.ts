import http from 'node:http';
import https from 'node:https';
import type {
  AcknowledgeReply,
  CheckinBody,
  CheckinReply,
  CommandAckBody,
  EnrollBody,
  EnrollReply,
  ErrorCode,
} from '@warden/contracts';
import { retryAfterMs } from './backoff';

/*
 * The agent's side of `/agent/v1` (DESIGN §7) over node:http, so the bundle
 * needs nothing but Node. One keep-alive socket pool per client: the swarm
 * shares one client across all its simulated agents, as a fleet behind a NAT
 * shares little else.
 */

const REQUEST_TIMEOUT_MS = 30_000;

/** A call that did not get a 2xx: the network failed, or the gateway refused with a code. */
export class AgentCallError extends Error {
  constructor(
    message: string,
    /** 0 when no HTTP reply came (connection refused or reset, timeout). */
    readonly status: number,
    /** The gateway's error code, or NETWORK when no reply came. */
    readonly code: ErrorCode | 'NETWORK' | 'UNKNOWN',
    /** From `Retry-After` on 429/503. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'AgentCallError';
  }

  /** Worth trying again later: no reply, a server fault, or an overload answer. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

export interface AgentHttpOptions {
  /** Sockets kept open and used at once (the swarm's concurrency). */
  maxSockets?: number;
  timeoutMs?: number;
}

export class AgentHttpClient {
  private readonly base: URL;
  private readonly transport: typeof http | typeof https;
  private readonly pool: http.Agent;
  private readonly timeoutMs: number;

  constructor(server: string, options: AgentHttpOptions = {}) {
    this.base = new URL(server.endsWith('/') ? server : `${server}/`);
    this.transport = this.base.protocol === 'https:' ? https : http;
    const poolOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 16 };
    this.pool =
      this.base.protocol === 'https:' ? new https.Agent(poolOptions) : new http.Agent(poolOptions);
    this.timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  }

  enroll(body: EnrollBody): Promise<EnrollReply> {
    return this.post<EnrollReply>('agent/v1/enroll', body);
  }

  checkin(deviceToken: string, body: CheckinBody): Promise<CheckinReply> {
    return this.post<CheckinReply>('agent/v1/checkin', body, deviceToken);
  }

  acknowledge(
    deviceToken: string,
    commandId: string,
    body: CommandAckBody,
  ): Promise<AcknowledgeReply> {
    return this.post<AcknowledgeReply>(
      `agent/v1/commands/${encodeURIComponent(commandId)}/ack`,
      body,
      deviceToken,
    );
  }

  /** Closes the kept-alive sockets (a CLI that is done should not wait for their idle timeout). */
  close(): void {
    this.pool.destroy();
  }

  private post<T>(path: string, body: unknown, bearer?: string): Promise<T> {
    const url = new URL(path, this.base);
    const payload = Buffer.from(JSON.stringify(body));
    return new Promise<T>((resolve, reject) => {
      const request = this.transport.request(
        url,
        {
          method: 'POST',
          agent: this.pool,
          timeout: this.timeoutMs,
          headers: {
            'content-type': 'application/json',
            'content-length': payload.length,
            accept: 'application/json',
            ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', (error) => reject(networkError(error)));
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            const text = Buffer.concat(chunks).toString('utf8');
            if (status >= 200 && status < 300) {
              try {
                resolve(JSON.parse(text) as T);
              } catch {
                reject(
                  new AgentCallError(`unreadable reply from ${url.pathname}`, status, 'UNKNOWN'),
                );
              }
              return;
            }
            reject(refusal(status, text, headerText(response.headers['retry-after'])));
          });
        },
      );
      request.on('timeout', () =>
        request.destroy(new Error(`no reply within ${this.timeoutMs} ms`)),
      );
      request.on('error', (error) => reject(networkError(error)));
      request.end(payload);
    });
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function networkError(error: Error): AgentCallError {
  const code = (error as NodeJS.ErrnoException).code;
  return new AgentCallError(`network: ${code ?? error.message}`, 0, 'NETWORK');
}

function refusal(status: number, text: string, retryAfter: string | undefined): AgentCallError {
  let code: AgentCallError['code'] = 'UNKNOWN';
  let message = `HTTP ${status}`;
  try {
    const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (typeof parsed.error?.code === 'string') code = parsed.error.code as ErrorCode;
    if (typeof parsed.error?.message === 'string') message = parsed.error.message;
  } catch {
    // Not our gateway's JSON (a proxy's HTML page): the status alone decides.
  }
  return new AgentCallError(`${code}: ${message}`, status, code, retryAfterMs(retryAfter));
}
