import { createLogger } from './logger';
import { currentRequestId, requestIdFrom, runWithRequestContext } from './request-context';

function logSink() {
  const lines: Record<string, unknown>[] = [];
  return {
    lines,
    destination: {
      write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
    },
  };
}

describe('request context in log lines', () => {
  it('puts the request id on every line written while handling that request, and only then', async () => {
    const logs = logSink();
    const sut = createLogger('test', 'info', logs.destination);

    sut.info('before');
    await runWithRequestContext({ requestId: 'req-12345678' }, async () => {
      sut.info('handling');
      await new Promise((done) => setImmediate(done));
      sut.warn({ detail: 1 }, 'still handling, after an await');
    });
    sut.info('after');

    expect(logs.lines.map((l) => [l['msg'], l['requestId']])).toEqual([
      ['before', undefined],
      ['handling', 'req-12345678'],
      ['still handling, after an await', 'req-12345678'],
      ['after', undefined],
    ]);
    expect(currentRequestId()).toBeUndefined();
  });

  it('keeps a sane incoming id and replaces anything else', () => {
    expect(requestIdFrom('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe(
      '0f8fad5b-d9cb-469f-a165-70867728950e',
    );
    for (const bad of [
      undefined,
      '',
      'short',
      'has space inside',
      'x'.repeat(129),
      'a\nb-forged',
    ]) {
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
