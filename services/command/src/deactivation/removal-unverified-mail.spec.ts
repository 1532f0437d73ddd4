import { removalUnverifiedMail } from './removal-unverified-mail';

describe('the removal-unverified alert', () => {
  const mail = {
    hostname: 'PC-TOKYO-7',
    acknowledgedAt: new Date('2026-12-02T01:00:00Z'),
    lastSeenAt: new Date('2026-12-02T01:20:00Z'),
  };

  it('names the endpoint and says the seat is still counted, in Japanese', () => {
    const sut = removalUnverifiedMail('ja', mail);
    expect(sut.subject).toBe('【Warden】アンインストールを確認できません — PC-TOKYO-7');
    expect(sut.text).toContain('「PC-TOKYO-7」');
    expect(sut.text).toContain('シートは引き続きカウントされます');
    expect(sut.text).toContain('2026年12月2日');
  });

  it('and in English, with both times in UTC', () => {
    const sut = removalUnverifiedMail('en', mail);
    expect(sut.subject).toBe('[Warden] Removal not verified — PC-TOKYO-7');
    expect(sut.text).toContain('its seat is still counted');
    expect(sut.text).toMatch(/2 December 2026.*01:00.*UTC/);
    expect(sut.text).toMatch(/last seen 2 December 2026.*01:20.*UTC/);
  });
});
