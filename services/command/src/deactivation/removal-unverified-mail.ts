import type { MailMessage } from '@warden/contracts';
import { formatMailDate } from '@warden/platform';

export type MailLanguage = MailMessage['language'];

/** What the administrators are told about an endpoint that kept checking in after its removal. */
export interface RemovalUnverifiedMail {
  hostname: string;
  acknowledgedAt: Date;
  lastSeenAt: Date;
}

/**
 * Plain text in Japanese or English (DESIGN §11 terms). The hostname is the
 * device's own report: it goes into the text only, never into a link.
 */
export function removalUnverifiedMail(
  language: MailLanguage,
  mail: RemovalUnverifiedMail,
): { subject: string; text: string } {
  const acknowledged = formatMailDate(mail.acknowledgedAt, language);
  const lastSeen = formatMailDate(mail.lastSeenAt, language);
  if (language === 'ja') {
    return {
      subject: `【Warden】アンインストールを確認できません — ${mail.hostname}`,
      text: [
        `エンドポイント「${mail.hostname}」は「デバイスを非アクティブ化」コマンドに応答しましたが（${acknowledged}）、`,
        `その後もチェックインを続けています（最終確認: ${lastSeen}）。`,
        '',
        'ソフトウェアが削除されていない可能性があるため、シートは引き続きカウントされます。',
        'デバイスを確認し、必要であれば管理コンソールから再度非アクティブ化してください。',
      ].join('\n'),
    };
  }
  return {
    subject: `[Warden] Removal not verified — ${mail.hostname}`,
    text: [
      `The endpoint "${mail.hostname}" acknowledged the "deactivate device" command (${acknowledged})`,
      `but has kept checking in since (last seen ${lastSeen}).`,
      '',
      'The software may still be installed, so its seat is still counted.',
      'Please check the device and, if need be, deactivate it again from the management console.',
    ].join('\n'),
  };
}
