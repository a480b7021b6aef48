import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import type { Question, Quiz } from '../src/lib/content/schema.ts';
import { optionOrder, parseQuizData, scoreAttempt, unansweredQuestions, type Answers, type AttemptResult } from '../src/lib/quiz/index.ts';
import { adoptStyles, learnerRecord, randomSeed, type ItemView } from '../src/browser/learner.ts';
import type { ItemProgress } from '../src/lib/progress/index.ts';

type Option = Question['options'][number];

/**
 * A module's quiz: every question as native radios or checkboxes in a fieldset,
 * one Submit, then which answers were right and why, the score and pass or fail.
 * Each attempt is recorded as xAPI statements (`answered` per question, then
 * `passed` or `failed` with the scaled score); the module status shown comes from
 * the learner record, so a pass shows at once and in every open tab.
 *
 * Renders into the light DOM so the page's styles and fragment links (the error
 * summary) work as on any GOV.UK-style form. On upgrade it takes its quiz from the
 * child `<script type="application/json">` and removes the page's fallback content.
 *
 * @fires fh-quiz-attempt - After an attempt is scored; `detail` is the `AttemptResult`.
 * @csspart - none: light DOM, style with `fh-quiz` descendant selectors.
 */
export class FhQuiz extends LitElement {
  static override properties = {
    moduleId: { type: String, attribute: 'module-id' },
    moduleVersion: { type: String, attribute: 'module-version' },
    moduleTitle: { type: String, attribute: 'module-title' },
    quiz: { state: true },
    seed: { state: true },
    result: { state: true },
    unanswered: { state: true },
    announcement: { state: true },
    moduleStatus: { state: true },
    nextItem: { state: true },
    loadError: { state: true },
    saveError: { state: true },
  };

  /** The module's id, as in `courses/modules/<id>/`. Default "". */
  declare moduleId: string;
  /** The module's content version; a pass counts for this version. Default "". */
  declare moduleVersion: string;
  /** The module's title, named in the statements. Default: the module id. */
  declare moduleTitle: string;

  declare private quiz: Quiz | undefined;
  /** Seeds this attempt's option order. */
  declare private seed: string;
  declare private result: AttemptResult | undefined;
  /** Question ids left unanswered at the last Submit. */
  declare private unanswered: string[];
  declare private announcement: string;
  declare private moduleStatus: ItemView | undefined;
  /** What the learner's plan offers after this module; undefined without a plan or when nothing is left. */
  declare private nextItem: ItemProgress | undefined;
  declare private loadError: string;
  declare private saveError: boolean;

  private unwatch: (() => void) | undefined;
  private focusAfterUpdate: string | undefined;
  /** When the current attempt began (performance.now()), for the attempt's duration. */
  private attemptStarted = performance.now();

  constructor() {
    super();
    this.moduleId = '';
    this.moduleVersion = '';
    this.moduleTitle = '';
    this.quiz = undefined;
    this.seed = randomSeed();
    this.result = undefined;
    this.unanswered = [];
    this.announcement = '';
    this.moduleStatus = undefined;
    this.nextItem = undefined;
    this.loadError = '';
    this.saveError = false;
  }

  protected override createRenderRoot(): HTMLElement {
    adoptStyles('fh-quiz', quizStyles);
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.quiz && !this.loadError) this.readQuiz();
    this.watchStatus();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unwatch?.();
    this.unwatch = undefined;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('moduleId') && changed.get('moduleId') !== undefined) this.watchStatus();
    if (this.focusAfterUpdate) {
      const target = this.querySelector<HTMLElement>(`#${CSS.escape(this.focusAfterUpdate)}`);
      this.focusAfterUpdate = undefined;
      target?.focus();
    }
  }

  protected override render(): TemplateResult {
    if (this.loadError) return html`<p class="error-message">${this.loadError}</p>`;
    return html`
      ${this.statusTemplate()} ${this.result ? this.resultTemplate(this.result) : keyed(this.seed, this.formTemplate())}
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
    `;
  }

  private readQuiz(): void {
    const script = this.querySelector('script[type="application/json"]');
    try {
      this.quiz = parseQuizData(script?.textContent);
    } catch (error) {
      this.loadError = error instanceof Error ? error.message : String(error);
    }
    // The page's no-JavaScript message and the data script are replaced by the live quiz.
    for (const child of [...this.children]) child.remove();
  }

  private watchStatus(): void {
    this.unwatch?.();
    this.unwatch = undefined;
    if (!this.moduleId) return;
    const moduleId = this.moduleId;
    learnerRecord()
      .then((learner) => {
        if (!this.isConnected || moduleId !== this.moduleId) return;
        const unwatchItem = learner.watchItem(moduleId, (view) => {
          this.moduleStatus = view;
        });
        const unwatchPlan = learner.watchPlan((progress) => {
          this.nextItem = progress?.next;
        });
        this.unwatch = () => {
          unwatchItem();
          unwatchPlan();
        };
      })
      .catch((error: unknown) => {
        console.error('The learning record could not be opened, so this quiz cannot be saved.', error);
        this.saveError = true;
      });
  }

  private statusTemplate(): TemplateResult | typeof nothing {
    const status = this.moduleStatus;
    if (!status) return nothing;
    return html`<p class="fh-quiz__status">
      Your progress on this module: <strong class="tag tag--${status.state}">${status.label}</strong>${status.detail ? html` ${status.detail}` : nothing}
    </p>`;
  }

  private formTemplate(): TemplateResult {
    const quiz = this.quiz;
    if (!quiz) return html``;
    const order = optionOrder(quiz, this.seed);
    return html`
      ${this.unanswered.length > 0 ? this.errorSummaryTemplate(quiz) : nothing}
      <form class="fh-quiz__form" novalidate @submit=${this.handleSubmit}>
        ${quiz.questions.map((question, index) => this.questionTemplate(question, index, quiz.questions.length, order[question.id] ?? question.options))}
        <button type="submit" class="button">Submit answers</button>
      </form>
    `;
  }

  private errorSummaryTemplate(quiz: Quiz): TemplateResult {
    return html`
      <div class="fh-error-summary" id=${this.idFor('errors')} tabindex="-1" aria-labelledby=${this.idFor('errors-title')}>
        <h3 class="fh-error-summary__title" id=${this.idFor('errors-title')}>There is a problem</h3>
        <ul class="fh-error-summary__list">
          ${this.unanswered.map((questionId) => {
            const index = quiz.questions.findIndex((question) => question.id === questionId);
            return html`<li><a href="#${this.idFor(questionId)}" @click=${this.handleErrorLink}>${this.errorText(quiz.questions[index], index)}</a></li>`;
          })}
        </ul>
      </div>
    `;
  }

  private questionTemplate(question: Question, index: number, total: number, options: Option[]): TemplateResult {
    const id = this.idFor(question.id);
    const missing = this.unanswered.includes(question.id);
    const multiple = question.type === 'multiple';
    const describedBy = [question.scenario ? `${id}-scenario` : '', `${id}-hint`, missing ? `${id}-error` : ''].filter(Boolean).join(' ');
    return html`
      <div class="fh-question ${missing ? 'fh-question--error' : ''}">
        ${
          question.scenario
            ? html`<div class="fh-question__scenario" id="${id}-scenario">
                <p><strong>Scenario ${index + 1}:</strong> ${question.scenario}</p>
              </div>`
            : nothing
        }
        <fieldset id=${id} aria-describedby=${describedBy}>
          <legend><span class="fh-question__number">Question ${index + 1} of ${total}</span> ${question.prompt}</legend>
          <p class="hint" id="${id}-hint">${multiple ? 'Select all that apply.' : 'Select one answer.'}</p>
          ${missing ? html`<p class="error-message" id="${id}-error"><span class="visually-hidden">Error:</span> ${this.errorText(question, index)}</p>` : nothing}
          <div class="choices">
            ${options.map(
              (option) => html`
                <label class="choice" for="${id}-${option.id}">
                  <input type=${multiple ? 'checkbox' : 'radio'} id="${id}-${option.id}" name=${question.id} value=${option.id} />
                  <span>${option.text}</span>
                </label>
              `,
            )}
          </div>
        </fieldset>
      </div>
    `;
  }

  private resultTemplate(result: AttemptResult): TemplateResult {
    const quiz = this.quiz;
    if (!quiz) return html``;
    const percent = (share: number) => `${Math.round(share * 100)}%`;
    return html`
      <section class="fh-quiz__result" aria-labelledby=${this.idFor('result')}>
        <div class="fh-result-panel ${result.passed ? 'fh-result-panel--passed' : 'fh-result-panel--failed'}">
          <h3 id=${this.idFor('result')} tabindex="-1">${result.passed ? 'You passed' : 'You did not pass this time'}</h3>
          <p>
            You answered ${result.correctCount} of ${result.total} questions correctly (${percent(result.scaled)}). The pass mark is
            ${percent(result.passMark)}.
          </p>
        </div>
        ${this.saveError ? html`<p class="error-message">Your answers could not be saved on this device. Your progress may not be kept.</p>` : nothing}
        ${result.passed ? this.wayOnTemplate() : html`<button type="button" class="button" @click=${this.handleTryAgain}>Try again</button>`}
        <h4>Your answers</h4>
        <ol class="fh-answers">
          ${result.questions.map((outcome, index) => {
            const question = quiz.questions[index];
            if (!question) return nothing;
            const optionsById = new Map(question.options.map((option) => [option.id, option]));
            const missed = outcome.correct.filter((optionId) => !outcome.chosen.includes(optionId));
            return html`
              <li class="fh-answer">
                ${question.scenario ? html`<p class="hint">${question.scenario}</p>` : nothing}
                <p class="fh-answer__prompt">${question.prompt}</p>
                <p><strong class="tag ${outcome.success ? 'tag--completed' : 'tag--expired'}">${outcome.success ? 'Correct' : 'Not correct'}</strong></p>
                <p class="fh-answer__label">You chose:</p>
                <ul class="fh-answer__options">
                  ${outcome.chosen.map((optionId) => this.feedbackTemplate(optionsById.get(optionId)))}
                </ul>
                ${
                  missed.length > 0
                    ? html`<p class="fh-answer__label">${outcome.correct.length > 1 ? 'The correct answers are:' : 'The correct answer is:'}</p>
                        <ul class="fh-answer__options">
                          ${outcome.correct.map((optionId) => this.feedbackTemplate(optionsById.get(optionId)))}
                        </ul>`
                    : nothing
                }
              </li>
            `;
          })}
        </ol>
      </section>
    `;
  }

  /** After a pass: the next item in the learner's plan, if any, and the way back to the plan. */
  private wayOnTemplate(): TemplateResult {
    // Until this pass is in the record, the plan may still offer this module.
    const next = this.nextItem?.item.id === this.moduleId ? undefined : this.nextItem;
    return html`
      <div class="button-group fh-quiz__way-on">
        ${
          next
            ? html`<a class="button" href="/${next.item.kind === 'module' ? 'modules' : 'films'}/${next.item.id}/">Next in your plan: ${next.item.title}</a>`
            : nothing
        }
        <a class="button ${next ? 'button--secondary' : ''}" href="/my-learning/">Back to my plan</a>
      </div>
    `;
  }

  private feedbackTemplate(option: Option | undefined): TemplateResult | typeof nothing {
    if (!option) return nothing;
    return html`<li><strong>${option.text}</strong><br />${option.feedback}</li>`;
  }

  private handleSubmit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const quiz = this.quiz;
    const form = event.currentTarget;
    if (!quiz || !(form instanceof HTMLFormElement)) return;
    const data = new FormData(form);
    const answers: Answers = Object.fromEntries(quiz.questions.map((question) => [question.id, data.getAll(question.id).map(String)]));
    const unanswered = unansweredQuestions(quiz, answers);
    this.unanswered = unanswered;
    if (unanswered.length > 0) {
      this.announce(`There is a problem: ${unanswered.length === 1 ? '1 question has' : `${unanswered.length} questions have`} no answer.`);
      this.focusAfterUpdate = this.idFor('errors');
      return;
    }
    const result = scoreAttempt(quiz, answers);
    this.result = result;
    this.announce(
      `${result.passed ? 'You passed.' : 'You did not pass this time.'} You answered ${result.correctCount} of ${result.total} questions correctly.`,
    );
    this.focusAfterUpdate = this.idFor('result');
    this.dispatchEvent(new CustomEvent('fh-quiz-attempt', { detail: result, bubbles: true, composed: true }));
    try {
      const learner = await learnerRecord();
      await learner.recordQuizAttempt({
        moduleId: this.moduleId,
        moduleTitle: this.moduleTitle || this.moduleId,
        moduleVersion: this.moduleVersion,
        quiz,
        result,
        durationSeconds: (performance.now() - this.attemptStarted) / 1000,
      });
      this.saveError = false;
    } catch (error) {
      console.error('The quiz attempt could not be saved.', error);
      this.saveError = true;
    }
  };

  private handleTryAgain = (): void => {
    this.result = undefined;
    this.unanswered = [];
    this.seed = randomSeed();
    this.attemptStarted = performance.now();
    this.announce(this.quiz?.shuffle ? 'New attempt. The answers are in a new order.' : 'New attempt.');
    // Focus the first answer of the new attempt: its legend is read with it.
    const quiz = this.quiz;
    const first = quiz?.questions[0];
    const firstOption = quiz && first ? optionOrder(quiz, this.seed)[first.id]?.[0] : undefined;
    if (first && firstOption) this.focusAfterUpdate = `${this.idFor(first.id)}-${firstOption.id}`;
  };

  /** Focuses the question's first control and brings its legend into view, as GOV.UK's error summary does. */
  private handleErrorLink = (event: MouseEvent): void => {
    const link = event.currentTarget;
    if (!(link instanceof HTMLAnchorElement)) return;
    const fieldset = this.querySelector(`#${CSS.escape(link.hash.slice(1))}`);
    const input = fieldset?.querySelector('input');
    if (!fieldset || !input) return;
    event.preventDefault();
    fieldset.querySelector('legend')?.scrollIntoView();
    input.focus({ preventScroll: true });
  };

  private announce(text: string): void {
    // A change of text is what screen readers announce; the same text twice would be missed.
    this.announcement = this.announcement === text ? `${text}\u00a0` : text;
  }

  private errorText(question: Question | undefined, index: number): string {
    return question?.type === 'multiple' ? `Select at least one answer for question ${index + 1}` : `Select an answer for question ${index + 1}`;
  }

  private idFor(part: string): string {
    return `fh-quiz-${this.moduleId}-${part}`;
  }
}

const quizStyles = `
fh-quiz { display: block; margin: 0 0 2rem; }
fh-quiz .fh-question { margin: 0 0 1.5rem; }
fh-quiz .fh-question--error { border-left: 5px solid var(--fh-error, #d4351c); padding-left: 0.9375rem; }
fh-quiz .fh-question__scenario { background: var(--fh-panel, #f3f2f1); border-left: 5px solid var(--fh-brand, #1d4f91); padding: 0.75rem 1rem; margin: 0 0 1rem; }
fh-quiz .fh-question__scenario > :last-child { margin-bottom: 0; }
fh-quiz legend { font-size: 1.375rem; line-height: 1.3; margin-bottom: 0.5rem; }
fh-quiz .fh-question__number { display: block; font-size: 1.1875rem; font-weight: 400; color: var(--fh-secondary-text, #484949); }
fh-quiz .choices { flex-direction: column; }
fh-quiz .choice { padding: 0.25rem 0; }
fh-quiz .choice input:focus-visible { outline: 3px solid var(--fh-focus, #ffdd00); outline-offset: 0; box-shadow: 0 0 0 6px var(--fh-text, #0b0c0c); }
fh-quiz .fh-error-summary { border: 5px solid var(--fh-error, #d4351c); padding: 1rem; margin: 0 0 2rem; }
fh-quiz .fh-error-summary:focus { outline: 3px solid var(--fh-focus, #ffdd00); }
fh-quiz .fh-error-summary__title { margin-top: 0; }
fh-quiz .fh-error-summary__list { margin-bottom: 0; padding-left: 0; list-style: none; }
fh-quiz .fh-error-summary__list a { color: var(--fh-error, #d4351c); font-weight: 700; }
fh-quiz .fh-error-summary__list a:focus-visible { color: var(--fh-text, #0b0c0c); }
fh-quiz .fh-result-panel { padding: 1rem 1.25rem; margin: 0 0 1.5rem; color: #fff; text-align: center; }
fh-quiz .fh-result-panel--passed { background: var(--fh-success, #00703c); }
fh-quiz .fh-result-panel--failed { background: var(--fh-brand, #1d4f91); }
fh-quiz .fh-result-panel h3 { margin: 0 0 0.5rem; font-size: 2rem; }
fh-quiz .fh-result-panel h3:focus { outline: 3px solid var(--fh-focus, #ffdd00); outline-offset: 4px; background: none; box-shadow: none; color: #fff; }
fh-quiz .fh-result-panel p { margin: 0; font-size: 1.375rem; }
fh-quiz .fh-answers { padding-left: 1.5rem; }
fh-quiz .fh-answer { margin: 0 0 1.5rem; padding-bottom: 1rem; border-bottom: 1px solid var(--fh-border, #b1b4b6); }
fh-quiz .fh-answer__prompt { font-weight: 700; }
fh-quiz .fh-answer__label { margin-bottom: 0.25rem; }
fh-quiz .fh-answer__options { padding-left: 1.25rem; }
fh-quiz .fh-answer__options li { margin-bottom: 0.5rem; }
`;

if (!customElements.get('fh-quiz')) customElements.define('fh-quiz', FhQuiz);

declare global {
  interface HTMLElementTagNameMap {
    'fh-quiz': FhQuiz;
  }
}
