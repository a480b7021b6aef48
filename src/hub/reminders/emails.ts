/**
 * The words of each email the hub sends: the link that confirms an address, a
 * learner's reminder of learning to renew, and a lead's weekly summary. Each is
 * plain text with a simple HTML version of the same words; every name and title
 * is escaped, so nothing anyone typed becomes markup.
 */
import { formatDay } from '../../lib/dates/index.ts';
import type { Email } from './mailer.ts';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/** A paragraph of text, or a list of items, each item a line of text with an optional link. */
type Block = string | { list: { text: string; href?: string }[] };

function emailOf(to: string, subject: string, blocks: Block[], headers?: Record<string, string>): Email {
  const text = blocks
    .map((block) => (typeof block === 'string' ? block : block.list.map((item) => `- ${item.text}${item.href ? `\n  ${item.href}` : ''}`).join('\n')))
    .join('\n\n');
  const linked = (paragraph: string) =>
    escapeHtml(paragraph).replace(/https?:\/\/[^\s<]+[^\s<.,)]/g, (url) => `<a href="${url}" style="word-break: break-all">${url}</a>`);
  const html = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>',
    escapeHtml(subject),
    '</title></head><body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #0b0c0c; max-width: 40em">',
    ...blocks.map((block) =>
      typeof block === 'string'
        ? `<p>${linked(block)}</p>`
        : `<ul>${block.list.map((item) => `<li>${item.href ? `<a href="${escapeHtml(item.href)}">${escapeHtml(item.text)}</a>` : escapeHtml(item.text)}</li>`).join('')}</ul>`,
    ),
    '</body></html>',
  ].join('');
  return { to, subject, text, html, ...(headers ? { headers } : {}) };
}

/** Who the emails are from, in their words. @example "Brookfield Council Family Hub learning" */
const service = (council: string) => `${council} Family Hub learning`;

/** The email that confirms an address; nothing else is sent to it until its link is opened. */
export function confirmationEmail(options: { to: string; name: string; council: string; link: string; hours: number }): Email {
  return emailOf(options.to, `Confirm your email address for ${service(options.council)}`, [
    `Hello ${options.name},`,
    `You asked ${service(options.council)} to email you reminders. To confirm this is your email address, open this link within ${options.hours} hours:`,
    options.link,
    'If you did not ask for this, you can ignore this email. We will not email this address again unless someone confirms it.',
  ]);
}

export interface RenewalItem {
  title: string;
  /** The council's calendar day the item must be renewed by. */
  renewalOn: string;
  /** The item's page. */
  href: string;
}

/** Why the person gets the email, and a link that stops them all. */
const stopLines = (council: string, stopLink: string, where: string): string[] => [
  `You get this email because you gave this address to ${service(council)} and confirmed it.`,
  `To stop these emails, open this link: ${stopLink}`,
  `You can also remove your email address on ${where}.`,
];

/** A learner's reminder: the items whose renewal day is within 30 days, with links to them. */
export function renewalEmail(options: {
  to: string;
  name: string;
  council: string;
  items: readonly RenewalItem[];
  publicUrl: string;
  stopLink: string;
}): Email {
  const first = [...options.items].sort((a, b) => a.renewalOn.localeCompare(b.renewalOn))[0];
  const one = options.items.length === 1;
  return emailOf(
    options.to,
    `Renew your Family Hub learning by ${first ? formatDay(first.renewalOn) : ''}`,
    [
      `Hello ${options.name},`,
      one
        ? 'Some of your Family Hub learning needs renewing soon:'
        : 'Some of your Family Hub learning needs renewing soon. Each one needs renewing by the date shown:',
      { list: options.items.map((item) => ({ text: `${item.title}: renew by ${formatDay(item.renewalOn)}`, href: item.href })) },
      `Open ${one ? 'the link' : 'each link'} on the computer or phone you learn on. You can also see all your learning on My learning: ${options.publicUrl}/my-learning/`,
      ...stopLines(options.council, options.stopLink, `the Your devices page: ${options.publicUrl}/devices/`),
    ],
    { 'List-Unsubscribe': `<${options.stopLink}>` },
  );
}

/** One line of a lead's summary: a person, their organisation, and what it is about. */
export interface SummaryLine {
  name: string;
  organisation: string;
  detail: string;
}

export interface WeeklySummary {
  /** The Monday the week starts. */
  weekOf: string;
  completed: SummaryLine[];
  dueSoon: SummaryLine[];
  expired: SummaryLine[];
  awaiting: SummaryLine[];
  /** Learners whose email address the mail server refused. */
  notWorking: SummaryLine[];
}

/** Most people listed under each heading; the rest are counted, and the lead page has them all. */
export const summaryListLimit = 50;

function section(heading: string, none: string, lines: readonly SummaryLine[]): Block[] {
  if (lines.length === 0) return [`${heading}: ${none}`];
  const shown = lines.slice(0, summaryListLimit);
  const more = lines.length - shown.length;
  return [
    `${heading} (${lines.length}):`,
    { list: shown.map((line) => ({ text: `${line.name}, ${line.organisation}: ${line.detail}` })) },
    ...(more > 0 ? [`And ${more} more: see the lead page.`] : []),
  ];
}

/** A lead's weekly summary of their organisations. */
export function summaryEmail(options: { to: string; name: string; council: string; summary: WeeklySummary; publicUrl: string; stopLink: string }): Email {
  const { summary } = options;
  return emailOf(
    options.to,
    `Family Hub learning: your weekly summary for the week of ${formatDay(summary.weekOf)}`,
    [
      `Hello ${options.name},`,
      `This is your weekly summary of Family Hub learning for the organisations you lead.`,
      ...section('Completed in the last 7 days', 'nobody', summary.completed),
      ...section('Due for renewal in the next 30 days', 'nothing', summary.dueSoon),
      ...section('Expired', 'nothing', summary.expired),
      ...section('Enrolments awaiting your confirmation', 'none', summary.awaiting),
      ...section('Email addresses that do not work', 'none', summary.notWorking),
      `See everything, and copy reminders for people without email, on the lead page: ${options.publicUrl}/lead/live/`,
      ...stopLines(options.council, options.stopLink, `the lead page: ${options.publicUrl}/lead/staff/`),
    ],
    { 'List-Unsubscribe': `<${options.stopLink}>` },
  );
}
