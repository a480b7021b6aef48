/**
 * Sending one email through the council's mail server (SMTP_URL) with nodemailer,
 * and what the server's answer means for the address: accepted, refused for good
 * (a 5xx reply to RCPT TO: the address does not work, so the hub stops using it),
 * or worth another try later (4xx, a dropped connection, a server that is down).
 */
import { createTransport } from 'nodemailer';
import type { SmtpConfig } from '../config.ts';

/** One email: plain text and a simple HTML version of the same words. */
export interface Email {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers, such as List-Unsubscribe. */
  headers?: Record<string, string>;
}

export type Delivery =
  | { outcome: 'sent' }
  /** The server refused the address itself (5xx at RCPT TO): never try it again. */
  | { outcome: 'refused'; reason: string }
  /** Anything else that went wrong: try again later. */
  | { outcome: 'retry'; reason: string };

export interface Mailer {
  send(email: Email): Promise<Delivery>;
  close(): void;
}

interface SmtpFailure {
  message?: string;
  command?: string;
  responseCode?: number;
  response?: string;
}

/** What a nodemailer failure means for the address. */
export function deliveryOf(error: unknown): Delivery {
  const failure = (typeof error === 'object' && error !== null ? error : {}) as SmtpFailure;
  const reason = (failure.response ?? failure.message ?? String(error)).slice(0, 300);
  if (failure.command === 'RCPT TO' && typeof failure.responseCode === 'number' && failure.responseCode >= 500 && failure.responseCode < 600) {
    return { outcome: 'refused', reason };
  }
  return { outcome: 'retry', reason };
}

/** A mailer for the council's server, sending from `smtp.from`. */
export function smtpMailer(smtp: SmtpConfig): Mailer {
  const transport = createTransport(smtp.url, { from: smtp.from });
  return {
    async send(email) {
      try {
        await transport.sendMail({ to: email.to, subject: email.subject, text: email.text, html: email.html, headers: email.headers ?? {} });
        return { outcome: 'sent' };
      } catch (error) {
        return deliveryOf(error);
      }
    },
    close: () => transport.close(),
  };
}
