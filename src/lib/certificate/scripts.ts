/**
 * Which font draws each character of a text, decided from code point ranges
 * alone, so the UI can ask for a Latin-script name before any font loads.
 */
import { arabicRanges, cjkRanges, latinGreekCyrillicRanges } from './coverage.ts';

/** A family of scripts with one font to draw it. */
export type Script = 'latin-greek-cyrillic' | 'arabic' | 'cjk';

/** The order in which fonts are tried for a character that could go to more than one. */
export const scripts: readonly Script[] = ['latin-greek-cyrillic', 'arabic', 'cjk'];

type Ranges = ReadonlyArray<readonly [number, number]>;

function parseRanges(text: string): Ranges {
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((range) => {
      const [start = '', end = start] = range.split('-');
      return [Number.parseInt(start, 16), Number.parseInt(end, 16)] as const;
    });
}

let coverage: Record<Script, Ranges> | undefined;
function coverageOf(script: Script): Ranges {
  coverage ??= {
    'latin-greek-cyrillic': parseRanges(latinGreekCyrillicRanges),
    arabic: parseRanges(arabicRanges),
    cjk: parseRanges(cjkRanges),
  };
  return coverage[script];
}

function inRanges(ranges: Ranges, codePoint: number): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const [start, end] = ranges[middle] ?? [0, -1];
    if (codePoint < start) high = middle - 1;
    else if (codePoint > end) low = middle + 1;
    else return true;
  }
  return false;
}

/** Whether the font for `script` has a glyph for the character. */
export function covers(script: Script, codePoint: number): boolean {
  return inRanges(coverageOf(script), codePoint);
}

// Spaces, digits, punctuation and joiners take the font of the letters around them,
// so "محمد علي" stays one Arabic run and is shaped as one.
const neutral = /^[^\p{L}\p{M}]$/u;
const mark = /^\p{M}$/u;

/** A stretch of text drawn with one font. */
export interface ScriptRun {
  script: Script;
  text: string;
  /** Where the run starts in the NFC form of the text, in UTF-16 code units. */
  start: number;
}

/** A character no certificate font can draw. */
export interface MissingCharacter {
  character: string;
  /** As people look it up: "U+AC00". */
  codePoint: string;
}

/**
 * Splits text into runs by the font that draws them, and lists the characters
 * that none draws (each once).
 */
export function splitByScript(text: string): { runs: ScriptRun[]; missing: MissingCharacter[] } {
  const runs: ScriptRun[] = [];
  const missing = new Map<string, MissingCharacter>();
  let at = 0;
  for (const character of text.normalize('NFC')) {
    const start = at;
    at += character.length;
    const codePoint = character.codePointAt(0) ?? 0;
    const current = runs[runs.length - 1];
    const staysInRun = current && (neutral.test(character) || mark.test(character)) && covers(current.script, codePoint);
    const script = staysInRun ? current.script : scripts.find((candidate) => covers(candidate, codePoint));
    if (!script) {
      missing.set(character, { character, codePoint: `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}` });
      continue;
    }
    // A run continues only over adjacent characters, so its text is one slice of the input.
    if (current && current.script === script && current.start + current.text.length === start) current.text += character;
    else runs.push({ script, text: character, start });
  }
  return { runs, missing: [...missing.values()] };
}

/** The scripts whose fonts a text needs, in loading order; the large CJK font only when a character needs it. */
export function scriptsNeeded(text: string): Script[] {
  const used = new Set(splitByScript(text).runs.map((run) => run.script));
  return scripts.filter((script) => used.has(script));
}

/** The characters of `text` that no certificate font can draw (empty when all can be drawn). */
export function unrenderableCharacters(text: string): MissingCharacter[] {
  return splitByScript(text).missing;
}

/** Whether every character of `text` can be drawn on a certificate. */
export function canRender(text: string): boolean {
  return unrenderableCharacters(text).length === 0;
}

/**
 * Whether the certificate page must ask for the name in Latin script as well,
 * because some of its letters cannot be drawn (Korean, Thai, Hebrew, emoji…).
 * Arabic-script and Chinese names render as typed and do not need one.
 */
export function needsLatinName(name: string): boolean {
  return !canRender(name.trim());
}
