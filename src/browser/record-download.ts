/** "Download my record": the one way every page saves the learner's record as a dated file. */
import { downloadFile } from './download.ts';
import type { Learner } from './learner.ts';
import { councilTimeZone } from './status-words.ts';

/**
 * Saves the learner's record as `learning-record-<date>.json` and returns the file's name.
 * `forLead`: the copy the learner sends to their lead, without their email address,
 * which stays with the learner.
 */
export async function downloadMyRecord(learner: Learner, { forLead = false }: { forLead?: boolean } = {}): Promise<string> {
  const [file, { recordFileNameOf }] = await Promise.all([learner.store.exportRecord({ siteUrl: learner.siteUrl }), import('../lib/record/index.ts')]);
  const contents = forLead && file.profile ? { ...file, profile: { ...file.profile, email: undefined } } : file;
  const fileName = recordFileNameOf(new Date(), councilTimeZone());
  downloadFile(JSON.stringify(contents, null, 2), fileName, 'application/json');
  return fileName;
}
