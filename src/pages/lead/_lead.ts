/**
 * The lead page in the browser: hands dropped files to the import worker and
 * shows what comes back — per-file results, the completion matrix (sortable,
 * filterable), the summaries and CSV downloads. PouchDB and pdf-lib live in
 * the worker, which starts only when there is something to read.
 */
import { acceptDroppedFiles } from '../../browser/drop-zone.ts';
import { count, filesReportHtml } from './_lead-html.ts';
import { parseCourseFacts } from '../../lib/content/facts.ts';
import { leadRecordSaved } from '../../lib/record/saved.ts';
import type { FileOutcome, FromWorker, ToWorker } from './_protocol.ts';
import type { MatrixRow } from '../../lib/report/index.ts';
import { createLeadTable, element } from './_table.ts';

/** Files handed to the import worker in one task (see `ToWorker`). */
const filesPerMessage = 10;

/** Wires up the lead page. */
export function startLeadPage(): void {
  const course = parseCourseFacts(document.getElementById('fh-course')?.textContent);

  const drop = element<HTMLDivElement>('lead-drop');
  const input = element<HTMLInputElement>('lead-files');
  const progressBox = element<HTMLDivElement>('lead-progress');
  const progress = element<HTMLProgressElement>('lead-progress-bar');
  const status = element<HTMLParagraphElement>('lead-status');
  const filesReport = element<HTMLDivElement>('lead-files-report');
  const clearBox = element<HTMLDivElement>('lead-clear-box');
  const dialog = element<HTMLDialogElement>('lead-confirm-clear');
  const table = createLeadTable(course.timeZone);
  status.tabIndex = -1;

  let worker: Worker | undefined;
  /** What the worker was last asked to do, to say what failed. */
  let asked: 'open' | 'import' | 'clear' = 'open';
  let outcomes: FileOutcome[] = [];
  let loading = false;
  let lastStatus = 0;
  /** Rows of the matrix the worker is sending, until the matrix itself arrives. */
  let arrivingRows: MatrixRow[] = [];

  const ensureWorker = (): Worker => {
    if (!worker) {
      worker = new Worker(new URL('./_worker.ts', import.meta.url), { type: 'module' });
      worker.addEventListener('message', (event: MessageEvent<FromWorker>) => receive(event.data));
      worker.addEventListener('error', (event) => {
        console.error('The lead page’s file reader stopped.', event.message);
        status.textContent = 'Something went wrong while reading the files. Reload the page and try again.';
      });
      worker.postMessage({ type: 'open', course } satisfies ToWorker);
    }
    return worker;
  };
  const send = (message: ToWorker) => ensureWorker().postMessage(message);

  const finishImport = () => {
    input.value = '';
    const imported = outcomes.filter((outcome) => outcome.status === 'imported').length;
    const duplicates = outcomes.filter((outcome) => outcome.status === 'duplicate').length;
    const conflicts = outcomes.filter((outcome) => outcome.status === 'conflict').length;
    const refused = outcomes.length - imported - duplicates - conflicts;
    const conflicting = conflicts > 0 ? `${conflicts.toLocaleString('en-GB')} with conflicting statements, ` : '';
    status.textContent = `Finished reading ${count(outcomes.length, 'file')}: ${imported.toLocaleString('en-GB')} imported, ${duplicates.toLocaleString('en-GB')} already imported, ${conflicting}${refused.toLocaleString('en-GB')} not imported.`;
    filesReport.innerHTML = filesReportHtml(outcomes);
  };

  function receive(message: FromWorker) {
    if (message.type === 'progress') {
      outcomes.push(...message.outcomes);
      progress.max = message.total;
      progress.value = message.done;
      // Screen readers hear the count now and then, not every file.
      if (performance.now() - lastStatus > 1500 || message.done === message.total) {
        status.textContent = `Read ${message.done.toLocaleString('en-GB')} of ${count(message.total, 'file')}…`;
        lastStatus = performance.now();
      }
    } else if (message.type === 'matrix-rows') {
      arrivingRows.push(...message.rows);
    } else if (message.type === 'matrix') {
      performance.mark('lead-matrix-received');
      const matrix = { ...message.matrix, rows: arrivingRows };
      arrivingRows = [];
      table.show(matrix, message.ranks);
      clearBox.hidden = matrix.rows.length === 0;
      performance.measure('lead-matrix-render', 'lead-matrix-received');
      if (message.after === 'open' && loading) {
        loading = false;
        status.textContent = '';
      }
      if (message.after === 'import') finishImport();
      if (message.after === 'clear') {
        filesReport.innerHTML = '';
        progressBox.hidden = true;
        status.textContent = 'All imported data has been cleared from this browser.';
        status.focus();
      }
      if (!message.persistent && message.after !== 'clear') {
        status.textContent =
          `${status.textContent ?? ''} This browser will not keep what you add (for example in a private window): it lasts until you close this page.`.trim();
      }
      if (message.withoutProfile > 0) {
        status.textContent =
          `${status.textContent ?? ''} Learning from ${count(message.withoutProfile, 'person', 'people')} is not shown because no file said who they are.`.trim();
      }
    } else {
      arrivingRows = [];
      // What was added before cannot be read: the lead can still clear it and start again.
      if (asked === 'open') clearBox.hidden = false;
      const failed = {
        open: 'What you added before could not be read.',
        import: 'The files could not be added.',
        clear: 'The imported data could not be cleared.',
      };
      status.textContent = `${failed[asked]} ${message.message}`;
    }
  }

  /** Files still to hand to the worker, a few per task; a drop while some are still waiting joins them. */
  let handing: File[] = [];
  const handOver = () => {
    const part = handing.splice(0, filesPerMessage);
    send({ type: 'import', files: part, more: handing.length > 0 });
    if (handing.length > 0) setTimeout(handOver);
  };

  const importFiles = (files: readonly File[]) => {
    if (files.length === 0) return;
    if (handing.length > 0) {
      handing.push(...files);
      progress.max += files.length;
      status.textContent = `Reading ${count(progress.max, 'file')}…`;
      return;
    }
    loading = false;
    outcomes = [];
    filesReport.innerHTML = '';
    progressBox.hidden = false;
    progress.max = files.length;
    progress.value = 0;
    status.textContent = `Reading ${count(files.length, 'file')}…`;
    lastStatus = performance.now();
    asked = 'import';
    handing = [...files];
    handOver();
  };

  input.addEventListener('change', () => importFiles([...(input.files ?? [])]));
  acceptDroppedFiles(drop, 'lead-drop--over', importFiles);

  element('lead-clear').addEventListener('click', () => dialog.showModal());
  element('lead-confirm-clear-no').addEventListener('click', () => dialog.close());
  element('lead-confirm-clear-yes').addEventListener('click', () => {
    dialog.close();
    status.textContent = 'Clearing imported data…';
    asked = 'clear';
    send({ type: 'clear' });
  });

  leadRecordSaved()
    .then((saved) => {
      if (saved && !worker) {
        loading = true;
        status.textContent = 'Loading what you added before…';
        ensureWorker();
      }
    })
    .catch((error: unknown) => {
      console.error('What was imported before could not be loaded.', error);
      status.textContent = 'What you added before could not be loaded. Reload the page to try again, or add the files again.';
    });
}
