/**
 * A mail server for tests (smtp-server), on a free port of this machine: it keeps
 * what it receives, and refuses recipients as a test tells it — for good (550) or
 * for now (451) — at RCPT TO, as real servers do.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { smtpMailer, type Mailer } from '../../../src/hub/reminders/mailer.ts';

export interface ReceivedEmail {
  to: string;
  subject: string;
  /** The plain text part, decoded. */
  text: string;
  /** The HTML part, decoded. */
  html: string;
  raw: string;
}

export interface SmtpSink {
  received: ReceivedEmail[];
  /** Every RCPT TO the server was sent, accepted or not. */
  recipients: string[];
  /** Replies to give at RCPT TO for an address, in turn; an address with none left is accepted. */
  refuse(address: string, ...codes: (550 | 451)[]): void;
  mailer: Mailer;
  /** The server's address, for SMTP_URL. */
  url: string;
  close(): Promise<void>;
}

/** Decodes a quoted-printable or base64 MIME part's body. */
function decodePart(part: string): { type: string; body: string } {
  const [head = '', ...rest] = part.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  const type = /content-type:\s*([^;\s]+)/i.exec(head)?.[1]?.toLowerCase() ?? '';
  const encoding = /content-transfer-encoding:\s*(\S+)/i.exec(head)?.[1]?.toLowerCase() ?? '';
  if (encoding === 'base64') return { type, body: Buffer.from(body.replace(/\s/g, ''), 'base64').toString('utf8') };
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => `%${hex}`);
    return { type, body: decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25')).replace(/\r\n/g, '\n') };
  }
  return { type, body: body.replace(/\r\n/g, '\n') };
}

function parseEmail(raw: string, to: string): ReceivedEmail {
  const header = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = header.replace(/\r?\n[ \t]+/g, ' ');
  const subjectLine = /^subject:\s*(.*)$/im.exec(unfolded)?.[1] ?? '';
  const subject = subjectLine.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s?/gi, (_, kind: string, text: string) =>
    kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeURIComponent(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, '%$1')),
  );
  const boundary = /boundary="?([^";\s]+)"?/i.exec(unfolded)?.[1];
  const parts = boundary ? raw.split(`--${boundary}`).slice(1, -1).map(decodePart) : [decodePart(raw)];
  return {
    to,
    subject,
    text: parts.find((part) => part.type === 'text/plain')?.body ?? '',
    html: parts.find((part) => part.type === 'text/html')?.body ?? '',
    raw,
  };
}

export async function smtpSink(): Promise<SmtpSink> {
  const received: ReceivedEmail[] = [];
  const recipients: string[] = [];
  const refusals = new Map<string, (550 | 451)[]>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      recipients.push(address.address);
      const code = refusals.get(address.address)?.shift();
      if (code === undefined) return callback();
      const error = Object.assign(new Error(code === 550 ? 'No such mailbox here' : 'Mailbox busy, try again later'), { responseCode: code });
      return callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        for (const to of session.envelope.rcptTo) received.push(parseEmail(raw, to.address));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const url = `smtp://127.0.0.1:${port}`;
  const mailer = smtpMailer({ url, from: 'Brookfield Family Hub learning <learning@brookfield.example.org>' });
  return {
    received,
    recipients,
    refuse: (address, ...codes) => refusals.set(address, codes),
    mailer,
    url,
    close: async () => {
      mailer.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
