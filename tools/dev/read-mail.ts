/**
 * `npm run mail`: prints the newest e-mails of the local spool folder
 * (.data/mail, where `npm start` delivers mail), decoded, so a link or a
 * temporary password can be read without a mail client.
 *
 *   npm run mail                       the newest message
 *   npm run mail -- --count 3          the newest three
 *   npm run mail -- --to a@example.com the newest one to that address
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { findRepoRoot } from '@warden/testing';

async function main(argv: string[]): Promise<void> {
  const spool = process.env['MAIL_SPOOL_DIR'] ?? join(findRepoRoot(__dirname), '.data', 'mail');
  const count = Number(option(argv, '--count') ?? '1');
  const to = option(argv, '--to')?.toLowerCase();
  const names = (await readdir(spool).catch(() => [] as string[]))
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .reverse();
  let shown = 0;
  for (const name of names) {
    if (shown >= count) break;
    const mail = await simpleParser(await readFile(join(spool, name)));
    const recipients = [mail.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? ''));
    if (to && !recipients.some((address) => address.toLowerCase() === to)) continue;
    shown++;
    process.stdout.write(
      [
        `--- ${join(spool, name)}`,
        `To:      ${recipients.join(', ')}`,
        `Subject: ${mail.subject ?? ''}`,
        `Date:    ${mail.date?.toISOString() ?? ''}`,
        '',
        (mail.text ?? '').trimEnd(),
        '',
        '',
      ].join('\n'),
    );
  }
  if (shown === 0) process.stdout.write(`no mail${to ? ` to ${to}` : ''} in ${spool}\n`);
}

function option(argv: string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
