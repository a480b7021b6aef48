/**
 * The one rule for what counts: an item, a role, a cell or a person whose
 * learning is completed, or completed and due for renewal soon, is currently
 * valid. Expired, missing and unfinished learning is not.
 */

/** The statuses that count as valid; every status type shares these two words. */
export type ValidStatus = 'completed' | 'due';

/** Whether a status counts as valid now: completed, or completed and due for renewal soon. */
export function countsAsValid<Status extends string>(status: Status): status is Status & ValidStatus {
  return status === 'completed' || status === 'due';
}
