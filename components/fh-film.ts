import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { PlayedSegments } from '../src/lib/progress/played.ts';
import { adoptStyles, learnerRecord, type ItemView, type Learner, type VideoEvent } from '../src/browser/learner.ts';
import type { FilmRegistration } from '../src/lib/progress/index.ts';

/** The speeds offered; 1 is normal. */
const speeds = [0.75, 1, 1.25, 1.5, 2] as const;

/** Positions closer than this to either end start the clip from the beginning instead. */
const resumeMargin = 3;

/**
 * A film clip: enhances the page's native `<video controls>` (with its `<source>`s
 * and caption `<track>`s) and transcript `<details>`, which work without JavaScript.
 * The element adds a playback-speed control, resumes where the learner stopped
 * (from the last recorded statement, nothing stored apart), shows the clip's status
 * from the learner record, and records the xAPI Video Profile: initialized, played,
 * paused, seeked, completed and terminated, with time, played segments, progress,
 * length, the completion threshold, a session per page visit (named after its
 * initialized statement) and a registration per viewing cycle: from the first
 * session on a film version until the clip counts, across visits.
 *
 * Played segments grow only while the video actually plays from one moment to the
 * next; a seek closes the segment and the next one starts where playback resumes,
 * so skipping to the end does not count as watching.
 * @see https://github.com/adlnet/xapi-authored-profiles/tree/master/video
 *
 * @fires fh-film-progress - When the played segments grow; `detail` is `{ progress }` (0–1 of the length, over the registration).
 * @csspart - none: light DOM, style with `fh-film` descendant selectors.
 */
export class FhFilm extends LitElement {
  static override properties = {
    filmId: { type: String, attribute: 'film-id' },
    filmVersion: { type: String, attribute: 'film-version' },
    filmTitle: { type: String, attribute: 'film-title' },
    length: { type: Number },
    serviceId: { type: String, attribute: 'service-id' },
    serviceName: { type: String, attribute: 'service-name' },
    captionsDefault: { type: Boolean, attribute: 'captions-default' },
    recordingOf: { type: String, attribute: 'recording-of' },
    speed: { state: true },
    resumeFrom: { state: true },
    filmStatus: { state: true },
    recordProblem: { state: true },
  };

  /** The clip's id, as in `courses/films/<id>.yaml`. Default "". */
  declare filmId: string;
  /** The clip's content version; a completion counts for this version. Default "1.0". */
  declare filmVersion: string;
  /** The clip's title, named in the statements. Default: the film id. */
  declare filmTitle: string;
  /** Length in seconds, from the clip's metadata; the video's own duration is used if 0. Default 0. */
  declare length: number;
  /** The id of the service the clip shows, in the local offer. Default "". */
  declare serviceId: string;
  /** The service's name, for the link to it. Default "". */
  declare serviceName: string;
  /** Whether captions show without the learner turning them on. Default false. */
  declare captionsDefault: boolean;
  /** "webinar" when the player shows the recording of the webinar `film-id` rather than a film clip. Default "". */
  declare recordingOf: string;

  declare private speed: number;
  /** Where playback will start, from the learner's last session; undefined to start at 0. */
  declare private resumeFrom: number | undefined;
  declare private filmStatus: ItemView | undefined;
  /** What went wrong with the learner's record, in words for the learner; empty while all is well. */
  declare private recordProblem: string;

  /** The session's id: its initialized statement's. A new one after the page comes back from the back/forward cache. */
  private sessionId = crypto.randomUUID();
  private sessionStarted = performance.now();
  /** The registration this session belongs to, fixed when it starts, with what earlier sessions played in it. */
  private registration: FilmRegistration | undefined;
  private video: HTMLVideoElement | null = null;
  private learner: Learner | undefined;
  private unwatch: (() => void) | undefined;
  /** What this registration has played, earlier visits and this session. */
  private readonly played = new PlayedSegments();
  private seekFrom: number | undefined;
  private programmaticSeek = false;
  private initialized = false;
  private terminated = false;
  private completed = false;
  private resumeApplied = false;
  /** The registration earlier visits left open, as the record last said. */
  private openRegistration: FilmRegistration | undefined;

  constructor() {
    super();
    this.filmId = '';
    this.filmVersion = '1.0';
    this.filmTitle = '';
    this.length = 0;
    this.serviceId = '';
    this.serviceName = '';
    this.captionsDefault = false;
    this.recordingOf = '';
    this.speed = 1;
    this.resumeFrom = undefined;
    this.filmStatus = undefined;
    this.recordProblem = '';
  }

  protected override createRenderRoot(): HTMLElement {
    adoptStyles('fh-film', filmStyles);
    // The controls go between the video and the transcript the page provides.
    this.renderOptions.renderBefore = this.querySelector(':scope > details');
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.video = this.querySelector('video');
    const video = this.video;
    if (video) {
      for (const [type, handler] of this.videoHandlers) video.addEventListener(type, handler);
      if (this.captionsDefault) {
        const captions = [...video.textTracks].find((track) => track.kind === 'captions' || track.kind === 'subtitles');
        if (captions) captions.mode = 'showing';
      }
      this.speed = video.playbackRate;
    }
    window.addEventListener('pagehide', this.handlePageHide);
    window.addEventListener('pageshow', this.handlePageShow);
    learnerRecord()
      .then((learner) => {
        if (!this.isConnected) return;
        this.learner = learner;
        this.unwatch = learner.watchItem(this.filmId, (view) => {
          this.filmStatus = view;
          this.openRegistration = view.filmRegistration;
          if (this.resumeFrom === undefined && !this.resumeApplied && !this.initialized) this.resumeFrom = this.resumePoint(view.lastPosition);
          this.applyResume();
        });
      })
      .catch((failure: unknown) => this.tellFailure(failure, 'opened'));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.handlePageHide();
    if (this.video) for (const [type, handler] of this.videoHandlers) this.video.removeEventListener(type, handler);
    window.removeEventListener('pagehide', this.handlePageHide);
    window.removeEventListener('pageshow', this.handlePageShow);
    this.unwatch?.();
    this.unwatch = undefined;
  }

  protected override render(): TemplateResult {
    const id = `fh-film-${this.filmId}`;
    const status = this.filmStatus;
    const linkOnPage = this.serviceId && document.querySelector(`a[href="/services/#${CSS.escape(this.serviceId)}"]`);
    return html`
      <div class="fh-film__panel">
        <div class="fh-film__speed">
          <label for="${id}-speed">Playback speed</label>
          <select id="${id}-speed" @change=${this.handleSpeed}>
            ${speeds.map((speed) => html`<option value=${speed} ?selected=${speed === this.speed}>${speed === 1 ? 'Normal' : `${speed}×`}</option>`)}
          </select>
        </div>
        ${
          this.resumeFrom !== undefined
            ? html`<p class="fh-film__resume">
                You stopped at ${clock(this.resumeFrom)} last time, so the clip starts there.
                <button type="button" class="button button--secondary" @click=${this.handleStartOver}>Start from the beginning</button>
              </p>`
            : nothing
        }
        ${
          status
            ? html`<p class="fh-film__status">
                Your progress on this clip:
                <strong class="tag tag--${status.state}">${status.label}</strong>${status.detail ? html` ${status.detail}` : nothing}
              </p>`
            : nothing
        }
        ${this.recordProblem ? html`<p class="error-message fh-film__problem" role="alert">${this.recordProblem}</p>` : nothing}
        ${this.serviceId && !linkOnPage ? html`<p>This clip shows <a href="/services/#${this.serviceId}">${this.serviceName || this.serviceId}</a>.</p>` : nothing}
      </div>
    `;
  }

  private readonly handlePlay = (): void => {
    const video = this.video;
    if (!video) return;
    // Resuming is offered only before the first play of the visit.
    this.resumeFrom = undefined;
    this.resumeApplied = true;
    if (!this.initialized) {
      this.initialized = true;
      this.sessionStarted = performance.now();
      this.registration = this.openRegistration ?? { id: crypto.randomUUID(), playedSegments: [], seconds: 0 };
      this.played.startSession(this.registration.playedSegments);
      this.record('initialized');
    }
    // Playing straight after a seek: the segment opens once the seek lands (seeked).
    if (!video.seeking) this.openSegment(video.currentTime);
    this.record('played');
  };

  private readonly handleTimeUpdate = (): void => {
    const video = this.video;
    if (!video || video.paused || video.seeking) return;
    this.advance(video.currentTime);
  };

  private readonly handleSeeking = (): void => {
    if (this.programmaticSeek) return;
    // currentTime is already the target: the segment ends at the last moment actually played.
    this.seekFrom ??= this.played.lastTime;
    this.closeSegment();
  };

  private readonly handleSeeked = (): void => {
    const video = this.video;
    if (!video) return;
    if (this.programmaticSeek) {
      this.programmaticSeek = false;
      this.played.moveTo(video.currentTime);
      return;
    }
    const from = this.seekFrom ?? this.played.lastTime;
    this.seekFrom = undefined;
    this.played.moveTo(video.currentTime);
    if (this.initialized) this.record('seeked', { timeFrom: from, timeTo: video.currentTime });
    if (!video.paused) this.openSegment(video.currentTime);
  };

  private readonly handlePause = (): void => {
    const video = this.video;
    if (!video || video.seeking) return;
    this.advance(video.currentTime);
    this.closeSegment();
    if (this.initialized) this.record('paused');
  };

  private readonly handleRateChange = (): void => {
    if (this.video) this.speed = this.video.playbackRate;
  };

  private readonly handleMetadata = (): void => {
    this.applyResume();
  };

  /**
   * The learner is leaving (another page, a closed tab or browser). The terminated
   * statement is made and kept safe synchronously here; the record saves it now if
   * the page lives long enough, or when the next page opens the record.
   */
  private readonly handlePageHide = (): void => {
    if (!this.initialized || this.terminated) return;
    this.terminated = true;
    this.advanceQuietly();
    this.closeSegment();
    this.record('terminated');
  };

  /** Back from the back/forward cache: the last session ended on pagehide, so playing again starts a new one. */
  private readonly handlePageShow = (event: PageTransitionEvent): void => {
    if (!event.persisted || !this.terminated) return;
    this.initialized = false;
    this.terminated = false;
    this.completed = false;
    this.played.startSession([]);
    this.sessionId = crypto.randomUUID();
  };

  private readonly handleSpeed = (event: Event): void => {
    const select = event.currentTarget;
    if (!(select instanceof HTMLSelectElement) || !this.video) return;
    this.video.playbackRate = Number(select.value);
  };

  private readonly handleStartOver = (): void => {
    this.resumeFrom = undefined;
    this.resumeApplied = true;
    const video = this.video;
    if (!video) return;
    if (video.currentTime !== 0) this.seekQuietly(0);
    video.focus();
  };

  private readonly videoHandlers: [string, () => void][] = [
    ['play', this.handlePlay],
    ['timeupdate', this.handleTimeUpdate],
    ['seeking', this.handleSeeking],
    ['seeked', this.handleSeeked],
    ['pause', this.handlePause],
    ['ratechange', this.handleRateChange],
    ['loadedmetadata', this.handleMetadata],
  ];

  private openSegment(time: number): void {
    this.played.open(time, performance.now());
  }

  /** Extends the open segment to `time` if playback got there continuously; otherwise starts a new one. */
  private advance(time: number): void {
    if (!this.played.advance(time, performance.now(), this.video?.playbackRate ?? 1)) return;
    this.dispatchEvent(new CustomEvent('fh-film-progress', { detail: { progress: this.progress() }, bubbles: true, composed: true }));
    this.checkCompletion();
  }

  private closeSegment(): void {
    this.played.close();
    this.checkCompletion();
  }

  /** Extends the open segment to where the video is now, if it is playing: the page is going. */
  private advanceQuietly(): void {
    const video = this.video;
    if (video && !video.paused && !video.seeking) this.played.advanceIfContinuous(video.currentTime, performance.now(), video.playbackRate);
  }

  private clipLength(): number {
    const duration = this.video?.duration;
    return this.length > 0 ? this.length : duration && Number.isFinite(duration) ? duration : 0;
  }

  /** Share of the clip the registration has played, 0–1. */
  private progress(): number {
    return this.played.fraction(this.clipLength());
  }

  private checkCompletion(): void {
    if (this.completed || !this.initialized) return;
    // Earlier visits count too: watching half one day and half the next completes the clip.
    if (this.played.counts(this.clipLength())) {
      this.completed = true;
      this.record('completed');
    }
  }

  private resumePoint(position: number | undefined): number | undefined {
    const length = this.clipLength();
    if (position === undefined || position < resumeMargin) return undefined;
    if (length > 0 && position > length - resumeMargin) return undefined;
    return position;
  }

  private applyResume(): void {
    const video = this.video;
    if (!video || this.resumeApplied || this.resumeFrom === undefined || video.readyState < 1 || !video.paused) return;
    this.resumeApplied = true;
    this.seekQuietly(this.resumeFrom);
  }

  /** Moves the playhead without recording a seek: the learner did not ask for it. */
  private seekQuietly(time: number): void {
    if (!this.video) return;
    this.programmaticSeek = true;
    this.video.currentTime = time;
  }

  private record(event: VideoEvent['verb'], seek?: { timeFrom: number; timeTo: number }): void {
    const video = this.video;
    const length = this.clipLength();
    const registration = this.registration ?? { id: crypto.randomUUID(), playedSegments: [], seconds: 0 };
    const detail: VideoEvent = {
      verb: event,
      filmId: this.filmId,
      filmVersion: this.filmVersion,
      filmTitle: this.filmTitle || this.filmId,
      ...(this.recordingOf === 'webinar' ? { of: 'webinar-recording' as const } : {}),
      sessionId: this.sessionId,
      registration: registration.id,
      registrationSeconds: registration.seconds + (performance.now() - this.sessionStarted) / 1000,
      length,
      time: video ? video.currentTime : 0,
      playedSegments: this.played.registration(),
      ...(seek ?? {}),
    };
    const write = (learner: Learner) => learner.recordVideoEvent(detail);
    (this.learner ? write(this.learner) : learnerRecord().then(write)).catch((failure: unknown) => this.tellFailure(failure, 'saved'));
  }

  /** The record could not be opened or a statement not saved: the learner is told, and the cause goes to the console. */
  private tellFailure(failure: unknown, what: 'opened' | 'saved'): void {
    console.error(failure);
    this.recordProblem =
      what === 'opened'
        ? 'Your learning record could not be opened in this browser, so watching this clip will not count towards your plan here. You can still watch it. Reload the page to try again, or use another browser.'
        : 'What you have watched could not be saved in this browser, so it may not count towards your plan. Reload the page and watch the clip again, or use another browser.';
  }
}

/** 83.4 → "1:23". */
function clock(seconds: number): string {
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

const filmStyles = `
fh-film { display: block; margin: 0 0 2rem; }
fh-film video { display: block; width: 100%; max-width: 48rem; background: #000; }
fh-film .fh-film__panel { max-width: 48rem; margin: 0.75rem 0 1rem; }
fh-film .fh-film__speed { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; margin: 0 0 1rem; }
fh-film .fh-film__speed label { margin: 0; }
fh-film .fh-film__resume .button { margin: 0.5rem 0 0; display: block; }
`;

if (!customElements.get('fh-film')) customElements.define('fh-film', FhFilm);

declare global {
  interface HTMLElementTagNameMap {
    'fh-film': FhFilm;
  }
}
