import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

describe('SecretBox (AES-256-GCM)', () => {
  const sut = new SecretBox(randomBytes(32));

  it('opens what it sealed, for the same context only', () => {
    const sealed = sut.seal('K7Q9ZX', 'security-code:a');
    expect(sealed).not.toContain('K7Q9ZX');
    expect(sut.open(sealed, 'security-code:a')).toBe('K7Q9ZX');
    expect(() => sut.open(sealed, 'security-code:b')).toThrow();
  });

  it('seals the same text differently each time', () => {
    expect(sut.seal('x', 'c')).not.toBe(sut.seal('x', 'c'));
  });

  it('refuses a tampered value and another key', () => {
    const sealed = sut.seal('secret', 'c');
    const parts = sealed.split('.');
    const data = Buffer.from(parts[3]!, 'base64url');
    data[0] = data[0]! ^ 1;
    parts[3] = data.toString('base64url');
    expect(() => sut.open(parts.join('.'), 'c')).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'c')).toThrow();
  });
});
