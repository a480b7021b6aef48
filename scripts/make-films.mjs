#!/usr/bin/env node
/**
 * Makes the demo film clips for the fictional Brookfield Council.
 *
 *   npx node scripts/make-films.mjs            # every clip in scripts/films/
 *   npx node scripts/make-films.mjs health-visiting stay-and-play
 *
 * For each scripts/films/<id>.yaml it:
 *   1. speaks every narration line with espeak-ng (en-gb, calm speed) to a WAV file
 *      and measures it from the WAV's own sample count;
 *   2. joins the lines, with short pauses, into one narration track;
 *   3. draws one title card per section with ffmpeg (colour source + drawtext, DejaVu Sans);
 *   4. writes public/films/<id>.mp4 (H.264 + AAC), <id>.webm (VP9 + Opus), <id>.jpg (poster)
 *      and <id>.en.vtt (caption cues timed from the measured WAVs: one per spoken line, or
 *      a long line shared out by length over cues of at most two short lines);
 *   5. writes courses/films/<id>.yaml with the duration measured by ffprobe and the transcript.
 *
 *   npx node scripts/make-films.mjs --webinars  # every recording in scripts/webinars/
 *
 * A webinar's source (scripts/webinars/<id>.yaml) holds the webinar's own fields under
 * `webinar:` (title, summary, audience, host, timeZone, sessions) and cards like a clip's; its
 * recording goes to public/webinars/ and courses/webinars/<id>.yaml gets the webinar with its
 * `recording`.
 *
 * Needs Debian's ffmpeg, ffprobe and espeak-ng (in /usr/bin). The generated files are
 * committed, so nobody else needs these tools. Same input, same tools: same output.
 * See docs/films.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const webinars = process.argv.includes('--webinars');
const folder = webinars ? 'webinars' : 'films';
const sourceDir = join(root, 'scripts', folder);
const publicDir = join(root, 'public', folder);
const courseDir = join(root, 'courses', folder);

// ------------------------------------------------------------------ settings

const tools = {
  ffmpeg: process.env.FFMPEG ?? '/usr/bin/ffmpeg',
  ffprobe: process.env.FFPROBE ?? '/usr/bin/ffprobe',
  espeak: process.env.ESPEAK ?? '/usr/bin/espeak-ng',
};
const voice = { name: 'en-gb', wordsPerMinute: 150, pitch: 45, wordGap: 1 };
const video = { width: 854, height: 480, fps: 5 };
const pause = { start: 0.8, betweenLines: 0.5, betweenCards: 0.8, end: 1.2 };
const fonts = {
  regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
};
// High contrast: white (21:1 on the background is not possible, but ~15:1 is) and yellow on dark navy.
const colours = { background: '0x0b1f3a', band: '0x16325c', heading: '0xffdd00', text: '0xffffff', small: '0xdfe6f0' };
const maxBytes = 2 * 1024 * 1024;
const captionWidth = 42; // characters per caption line, two lines per cue at most
// In the top band: the bottom of the picture is under the player's controls whenever they show.
const notice = 'Demo film. Brookfield is a fictional council.';
const brand = 'Brookfield Family Hubs';

// ------------------------------------------------------------------ helpers

const run = (command, args) => execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const ffmpeg = (args) => run(tools.ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...args]);

/** Reads a 16-bit PCM WAV: sample rate, channels and the raw samples. */
function readWav(file) {
  const bytes = readFileSync(file);
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${file} is not a WAV file`);
  let offset = 12;
  let format;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    let size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = { channels: bytes.readUInt16LE(body + 2), sampleRate: bytes.readUInt32LE(body + 4), bits: bytes.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!format || format.bits !== 16) throw new Error(`${file}: expected 16-bit PCM`);
      size = Math.min(size, bytes.length - body); // a streamed header may overstate the size
      return { ...format, samples: bytes.subarray(body, body + size) };
    }
    offset = body + size + (size % 2);
  }
  throw new Error(`${file} has no audio data`);
}

function writeWav(file, { sampleRate, channels, samples }) {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + samples.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * 2, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(samples.length, 40);
  writeFileSync(file, Buffer.concat([header, samples]));
}

/** Breaks text into lines of at most `width` characters, at spaces. */
function wrap(text, width) {
  const lines = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && `${line} ${word}`.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Splits one spoken line into caption cues of at most two lines of `width` characters,
 * breaking after punctuation where it can, so no cue fills the screen.
 */
function captionChunks(text, width) {
  const fits = (chunk) => wrap(chunk, width).length <= 2;
  const chunks = [];
  let current = '';
  for (const phrase of text.split(/(?<=[,.;:?!])\s+/)) {
    const joined = current ? `${current} ${phrase}` : phrase;
    if (fits(joined)) current = joined;
    else {
      if (current) chunks.push(current);
      current = phrase;
      while (!fits(current)) {
        const lines = wrap(current, width);
        chunks.push(lines.slice(0, 2).join(' '));
        current = lines.slice(2).join(' ');
      }
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

/** 83.4 → "00:01:23.400" */
function vttTime(seconds) {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

/** Escapes text for an ffmpeg filter-graph option value written between single quotes. */
const filterPath = (path) => path.replace(/\\/g, '\\\\').replace(/'/g, "'\\''").replace(/:/g, '\\:');

// ------------------------------------------------------------------ cards

/**
 * Draws one card to a PNG: a band with the brand, a large heading, up to four short lines
 * of text, and a notice in the top band that says the film is a demo.
 */
function drawCard(file, card, work, index) {
  const headingSize = 46;
  const textSize = 32;
  const headingLines = wrap(card.heading, 28);
  const textLines = (card.text ?? []).flatMap((line) => wrap(line, 40));
  if (textLines.length > (card.text ?? []).length) console.warn(`warning: a line on card "${card.heading}" is over 40 characters and wraps`);
  if (headingLines.length > 2 || textLines.length > 5) {
    throw new Error(`card "${card.heading}" has too much text: keep it to a short heading and a few short lines`);
  }
  const headingStep = Math.round(headingSize * 1.3);
  const textStep = Math.round(textSize * 1.45);
  const gap = textLines.length ? 28 : 0;
  const blockHeight = headingLines.length * headingStep + gap + textLines.length * textStep;
  const areaTop = 70;
  const areaBottom = 410;
  let y = Math.round(areaTop + (areaBottom - areaTop - blockHeight) / 2);

  // One band at the top, where the player's controls never sit: the brand and the demo notice.
  const filters = [`drawbox=x=0:y=0:w=iw:h=54:color=${colours.band}:t=fill`];
  let n = 0;
  const text = (content, { font, size, colour, x = '(w-text_w)/2', top }) => {
    const textFile = join(work, `card-${index}-${n++}.txt`);
    writeFileSync(textFile, content);
    filters.push(`drawtext=fontfile='${filterPath(font)}':textfile='${filterPath(textFile)}':fontsize=${size}:fontcolor=${colour}:x=${x}:y=${top}`);
  };
  text(brand, { font: fonts.bold, size: 24, colour: colours.small, x: '28', top: 14 });
  text(notice, { font: fonts.regular, size: 18, colour: colours.small, x: 'w-text_w-28', top: 17 });
  for (const line of headingLines) {
    text(line, { font: fonts.bold, size: headingSize, colour: colours.heading, top: y });
    y += headingStep;
  }
  y += gap;
  for (const line of textLines) {
    text(line, { font: fonts.regular, size: textSize, colour: colours.text, top: y });
    y += textStep;
  }
  ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `color=c=${colours.background}:s=${video.width}x${video.height}:r=1:d=1`,
    '-vf',
    filters.join(','),
    '-frames:v',
    '1',
    '-fflags',
    '+bitexact',
    '-flags',
    '+bitexact',
    file,
  ]);
}

// ------------------------------------------------------------------ one clip

/** The closing cards every clip shares: the service's contact details, then safeguarding. */
function closingCards(service) {
  const contact = service?.contact ?? {};
  const text = [contact.phone && `Phone ${contact.phone}`, contact.email, 'Search the local offer: familyhubs.brookfield.example.org'].filter(Boolean);
  return [
    ...(service
      ? [
          {
            heading: 'Contact',
            text: text.slice(0, 2).concat('More in the Brookfield local offer'),
            shows: `The contact card: ${text.slice(0, 2).join(', ')}. More in the Brookfield local offer.`,
            say: ['The phone number and email address are on screen, and in the Brookfield local offer.'],
          },
        ]
      : []),
    {
      heading: 'Worried about a child?',
      text: ['Tell your safeguarding lead', 'In an emergency, call 999'],
      say: [
        "If you are ever worried about a child's safety, tell your safeguarding lead straight away.",
        { caption: 'In an emergency, call 999.', spoken: 'In an emergency, call nine, nine, nine.' },
      ],
    },
  ];
}

function makeClip(id) {
  const source = parseYaml(readFileSync(join(sourceDir, `${id}.yaml`), 'utf8'));
  const servicePath = join(root, 'courses', 'services', `${source.service}.yaml`);
  if (!webinars && !existsSync(servicePath)) throw new Error(`${id}: no service '${source.service}' in courses/services/`);
  const service = webinars ? undefined : parseYaml(readFileSync(servicePath, 'utf8'));
  const cards = [...source.cards, ...closingCards(service)];

  const work = mkdtempSync(join(tmpdir(), `film-${id}-`));
  try {
    // 1–2. Speak each line, measure it, and lay the lines out on one timeline.
    let format;
    const pieces = [];
    const cues = [];
    const silence = (seconds) => Buffer.alloc(Math.round(seconds * format.sampleRate) * format.channels * 2);
    let samples = 0; // samples written so far, per channel
    const now = () => samples / format.sampleRate;
    const push = (buffer) => {
      pieces.push(buffer);
      samples += buffer.length / 2 / format.channels;
    };
    const cardTimes = [];
    cards.forEach((card, c) => {
      const start = c === 0 ? 0 : undefined;
      card.say.forEach((line, l) => {
        const caption = typeof line === 'string' ? line : line.caption;
        const spoken = typeof line === 'string' ? line : (line.spoken ?? line.caption);
        const wav = join(work, `line-${c}-${l}.wav`);
        run(tools.espeak, ['-v', voice.name, '-s', String(voice.wordsPerMinute), '-p', String(voice.pitch), '-g', String(voice.wordGap), '-w', wav, spoken]);
        const audio = readWav(wav);
        if (!format) {
          format = { sampleRate: audio.sampleRate, channels: audio.channels };
          push(silence(pause.start));
        } else if (audio.sampleRate !== format.sampleRate || audio.channels !== format.channels) {
          throw new Error(`${id}: espeak-ng changed its audio format mid-clip`);
        }
        if (l === 0) cardTimes.push(start ?? now());
        const from = now();
        push(audio.samples);
        // One cue per spoken line; a long line is shared out by length over two or more cues.
        const chunks = captionChunks(caption, captionWidth);
        const letters = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
        let at = from;
        chunks.forEach((chunk, k) => {
          const end = k === chunks.length - 1 ? now() : at + ((now() - from) * chunk.length) / letters;
          cues.push({ start: at, end, text: chunk });
          at = end;
        });
        push(silence(l < card.say.length - 1 ? pause.betweenLines : c < cards.length - 1 ? pause.betweenCards : pause.end));
      });
    });
    const total = now();
    const narration = join(work, 'narration.wav');
    writeWav(narration, { ...format, samples: Buffer.concat(pieces) });

    // 3. Cards, shown from just before their first line until the next card starts.
    const frame = (t) => Math.round(t * video.fps);
    const concat = ['ffconcat version 1.0'];
    cards.forEach((card, c) => {
      const png = join(work, `card-${c}.png`);
      drawCard(png, card, work, c);
      const from = frame(cardTimes[c]);
      const to = c < cards.length - 1 ? frame(cardTimes[c + 1]) : frame(total);
      concat.push(`file '${png}'`, `duration ${((to - from) / video.fps).toFixed(3)}`);
    });
    concat.push(`file '${join(work, `card-${cards.length - 1}.png`)}'`); // the concat demuxer needs the last file twice
    const list = join(work, 'cards.ffconcat');
    writeFileSync(list, `${concat.join('\n')}\n`);

    // 4. Encode.
    mkdirSync(publicDir, { recursive: true });
    const mp4 = join(publicDir, `${id}.mp4`);
    const webm = join(publicDir, `${id}.webm`);
    const poster = join(publicDir, `${id}.jpg`);
    const input = ['-f', 'concat', '-safe', '0', '-i', list, '-i', narration, '-map', '0:v', '-map', '1:a', '-t', total.toFixed(3), '-r', String(video.fps)];
    const exact = ['-map_metadata', '-1', '-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact'];
    const keyframes = ['-g', String(video.fps * 10), '-keyint_min', String(video.fps * 10)];
    ffmpeg([
      ...input,
      '-c:v',
      'libx264',
      '-preset',
      'slow',
      '-tune',
      'stillimage',
      '-crf',
      '28',
      '-pix_fmt',
      'yuv420p',
      ...keyframes,
      '-threads',
      '1',
      '-c:a',
      'aac',
      '-b:a',
      '48k',
      '-ac',
      '1',
      ...exact,
      '-movflags',
      '+faststart',
      mp4,
    ]);
    ffmpeg([
      ...input,
      '-c:v',
      'libvpx-vp9',
      '-b:v',
      '0',
      '-crf',
      '40',
      '-deadline',
      'good',
      '-cpu-used',
      '2',
      '-row-mt',
      '0',
      '-threads',
      '1',
      ...keyframes,
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'libopus',
      '-b:a',
      '32k',
      '-ac',
      '1',
      ...exact,
      webm,
    ]);
    ffmpeg(['-i', join(work, 'card-0.png'), '-q:v', '3', '-fflags', '+bitexact', '-flags', '+bitexact', poster]);

    // Captions: at most two lines of about 42 characters per cue.
    const vtt = ['WEBVTT', ''];
    cues.forEach((cue, i) => {
      vtt.push(String(i + 1), `${vttTime(cue.start)} --> ${vttTime(cue.end)}`, ...wrap(cue.text, captionWidth), '');
    });
    writeFileSync(join(publicDir, `${id}.en.vtt`), vtt.join('\n'));

    // 5. Measure and describe.
    const measured = Number(run(tools.ffprobe, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', mp4]).trim());
    for (const file of [mp4, webm, poster]) {
      if (statSync(file).size > maxBytes) throw new Error(`${file} is ${statSync(file).size} bytes; the limit is ${maxBytes}`);
    }
    const transcript = cards
      .map((card) => {
        const sentence = (t) => (/[.!?]$/.test(t) ? t : `${t}.`);
        const shown = card.shows ?? `A card reading "${card.heading}"${card.text?.length ? `: ${card.text.map(sentence).join(' ')}` : '.'}`;
        const said = card.say.map((line) => (typeof line === 'string' ? line : line.caption)).join(' ');
        return `[On screen: ${shown}]\nNarrator: ${said}`;
      })
      .join('\n\n');
    const recording = {
      duration: Math.round(measured * 10) / 10,
      media: [
        { src: `/${folder}/${id}.mp4`, type: 'video/mp4' },
        { src: `/${folder}/${id}.webm`, type: 'video/webm' },
      ],
      captions: [{ src: `/${folder}/${id}.en.vtt`, lang: 'en', label: 'English' }],
      poster: `/${folder}/${id}.jpg`,
      transcript: `A demo ${webinars ? 'webinar recording' : 'film'} made from title cards and a computer voice. Each card shows a heading and a few short lines of text on a dark blue background. "${brand}" and "${notice}" are at the top.\n\n${transcript}`,
    };
    const film = webinars
      ? { ...source.webinar, recording }
      : {
          title: source.title,
          service: source.service,
          summary: source.summary,
          duration: recording.duration,
          version: source.version ?? '1.0',
          media: recording.media,
          captions: recording.captions,
          poster: recording.poster,
          transcript: recording.transcript,
        };
    mkdirSync(courseDir, { recursive: true });
    const header = `# Made by scripts/make-films.mjs${webinars ? ' --webinars' : ''} from scripts/${folder}/${id}.yaml: change that file and rerun,\n# or, if you replace the ${webinars ? 'recording' : 'clip'} with your own video, edit this file by hand (see docs/films.md).\n`;
    writeFileSync(join(courseDir, `${id}.yaml`), header + stringifyYaml(film, { lineWidth: 0 }));
    const sizes = [mp4, webm, poster].map((file) => `${Math.round(statSync(file).size / 1024)} KB`).join(' / ');
    console.log(`${id}: ${recording.duration} s, ${cues.length} cues, mp4/webm/jpg ${sizes}`);
    return { ...film, duration: recording.duration };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ main

for (const tool of Object.values(tools)) {
  if (!existsSync(tool)) {
    console.error(`Cannot find ${tool}. Install Debian's ffmpeg and espeak-ng packages, or set FFMPEG, FFPROBE and ESPEAK.`);
    process.exit(1);
  }
}
const wanted = process.argv.slice(2).filter((argument) => argument !== '--webinars');
const ids = wanted.length
  ? wanted
  : readdirSync(sourceDir)
      .filter((name) => name.endsWith('.yaml'))
      .map((name) => name.slice(0, -5))
      .sort();
for (const id of ids) {
  const film = makeClip(id);
  if (webinars) continue;
  if (film.duration < 45 || film.duration > 120) console.warn(`warning: ${id} is ${film.duration} s; clips should be 45 to 120 seconds`);
}
