import { newId } from './ids';

describe('newId', () => {
  it('is a version 7 UUID', () => {
    expect(newId()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('sorts by creation time', () => {
    const sut = [newId(1_000), newId(2_000), newId(3_000)];

    expect([...sut].reverse().sort()).toEqual(sut);
  });

  it('does not repeat', () => {
    expect(new Set(Array.from({ length: 10_000 }, () => newId(5_000))).size).toBe(10_000);
  });
});
