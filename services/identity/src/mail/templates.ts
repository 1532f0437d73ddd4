import { formatMailDate } from '@warden/platform';
import type { Language } from './language';

/**
 * The e-mails identity sends, in Japanese and English (DESIGN §11 terms).
 * Plain text: it reads the same in every mail client and carries no tracking.
 * Every value put in is the administrator's own data or a link we built.
 */
export interface RenderedMail {
  subject: string;
  text: string;
}

export interface ActivationMail {
  firstName: string;
  lastName: string;
  consoleName: string;
  email: string;
  link: string;
  temporaryPassword: string;
  expiresAt: Date;
}

export interface PasswordResetMail {
  firstName: string;
  lastName: string;
  link: string;
  expiresAt: Date;
}

export function activationMail(language: Language, mail: ActivationMail): RenderedMail {
  const expires = formatMailDate(mail.expiresAt, language);
  if (language === 'ja') {
    return {
      subject: `【Warden】アカウントの作成 — ${mail.consoleName} 管理コンソール`,
      text: [
        `${mail.lastName} ${mail.firstName} 様`,
        '',
        `Warden エンドポイントプロテクションの管理コンソール「${mail.consoleName}」の管理者として登録されました。`,
        '下のリンクを開き、仮パスワードを入力して登録を完了してください（今すぐ登録）。',
        '',
        `登録確認: ${mail.link}`,
        `ログインID（電子メール）: ${mail.email}`,
        `仮パスワード: ${mail.temporaryPassword}`,
        '',
        `このリンクは ${expires} まで、1回だけ有効です。`,
        '登録では新しいパスワード、個人用セキュリティコード、セキュリティの質問と回答を設定します。',
        '',
        'お心当たりのない場合は、このメールを破棄してください。',
      ].join('\n'),
    };
  }
  return {
    subject: `[Warden] Create your account — ${mail.consoleName} management console`,
    text: [
      `Dear ${mail.firstName} ${mail.lastName},`,
      '',
      `You have been made an administrator of the Warden endpoint protection management console "${mail.consoleName}".`,
      'Open the link below and enter the temporary password to finish your registration (register now).',
      '',
      `Registration confirmation: ${mail.link}`,
      `Login (e-mail): ${mail.email}`,
      `Temporary password: ${mail.temporaryPassword}`,
      '',
      `The link works once, until ${expires}.`,
      'You will choose a new password, a personal security code, and a security question and answer.',
      '',
      'If you did not expect this e-mail, you can ignore it.',
    ].join('\n'),
  };
}

export function passwordResetMail(language: Language, mail: PasswordResetMail): RenderedMail {
  const expires = formatMailDate(mail.expiresAt, language);
  if (language === 'ja') {
    return {
      subject: '【Warden】パスワードの再設定',
      text: [
        `${mail.lastName} ${mail.firstName} 様`,
        '',
        'パスワードの再設定を受け付けました。下のリンクから新しいパスワードを設定してください。',
        '',
        `パスワードの再設定: ${mail.link}`,
        '',
        `このリンクは ${expires} まで、1回だけ有効です。`,
        'お心当たりのない場合は、このメールを破棄してください。パスワードは変更されません。',
      ].join('\n'),
    };
  }
  return {
    subject: '[Warden] Reset your password',
    text: [
      `Dear ${mail.firstName} ${mail.lastName},`,
      '',
      'We received a request to reset your password. Choose a new one with the link below.',
      '',
      `Reset password: ${mail.link}`,
      '',
      `The link works once, until ${expires}.`,
      'If you did not ask for this, ignore this e-mail: your password stays as it is.',
    ].join('\n'),
  };
}
