/*
 * How an event travels: the JSON packet of Nest's NATS transport,
 * `{ pattern, data }`, so a core-NATS subscriber or a Nest `@EventPattern`
 * reads a JetStream message like any other event. The JetStream message id
 * (header `Nats-Msg-Id`) is the event's `eventId`.
 */

interface EventPacket {
  pattern: string;
  data: unknown;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeEvent(subject: string, payload: unknown): string {
  const packet: EventPacket = { pattern: subject, data: payload };
  return JSON.stringify(packet);
}

export function eventBytes(encoded: string): Uint8Array {
  return encoder.encode(encoded);
}

/** The `data` of a packet, or undefined when the bytes are not one. */
export function decodeEvent(bytes: Uint8Array): { data: unknown } | undefined {
  try {
    const packet = JSON.parse(decoder.decode(bytes)) as unknown;
    if (typeof packet !== 'object' || packet === null || !('data' in packet)) return undefined;
    return { data: packet.data };
  } catch {
    return undefined;
  }
}
