/**
 * Plain-English checks for lesson text: the prose a learner reads, its word
 * count and its Flesch reading ease. A test helper, not product code.
 */

/**
 * The prose of an MDX lesson body (frontmatter already removed), as plain
 * sentences. Headings, list items and scenario titles become sentences of
 * their own; inline components become the words they show; block components
 * that print contact details, and all markup, go.
 */
export function lessonProse(body: string): string {
  let text = body
    // MDX comments and import/export lines.
    .replace(/\{\/\*[\s\S]*?\*\/\}/g, '')
    .replace(/^(?:import|export)\s.*$/gm, '')
    // A scenario's title is read as a heading.
    .replace(/<Scenario\s+title="([^"]*)"\s*>/g, '\n\n$1\n\n')
    // Inline components print words; read them as the words a council's site shows.
    .replace(/<Council\s*\/>/g, 'the council')
    .replace(/<OnlineHub\s*\/>/g, 'the online family hub')
    .replace(/<Call\s[^>]*\/>/g, 'the number')
    // Block components print contact data, not prose; other tags are markup.
    .replace(/<[A-Za-z][^>]*\/>/g, '\n\n')
    .replace(/<\/?[A-Za-z][^>]*>/g, '\n\n')
    // Markdown links keep their text; emphasis and code marks go.
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]+/g, '');

  const blocks: string[] = [];
  let paragraph: string[] = [];
  const endParagraph = () => {
    if (paragraph.length) blocks.push(paragraph.join(' '));
    paragraph = [];
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') {
      endParagraph();
      continue;
    }
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    const item = /^(?:[-*+]|\d+[.)])\s+(.*)$/.exec(line);
    const quote = /^>\s?(.*)$/.exec(line);
    if (heading || item) {
      endParagraph();
      blocks.push(asSentence((heading ?? item)![1]!));
    } else {
      paragraph.push(quote ? quote[1]! : line);
    }
  }
  endParagraph();
  text = blocks.map(asSentence).join('\n');
  return text;
}

/** Ends a line that stands alone (heading, list item) with a full stop. */
function asSentence(line: string): string {
  const trimmed = line.trim();
  return /[.!?:;]["')]*$/.test(trimmed) ? trimmed.replace(/[:;]$/, '.') : `${trimmed}.`;
}

/** Words: runs of characters holding at least one letter or digit. */
export function words(text: string): string[] {
  return text
    .split(/\s+/)
    .map((token) => token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter((token) => /[\p{L}\p{N}]/u.test(token));
}

/** Sentences: text ending in . ! or ? (or the end of a block). */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])["')]*\s+|\n+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => words(sentence).length > 0);
}

/**
 * Syllables in an English word, by the usual vowel-group rule: count groups
 * of vowels, drop a silent final "e" (but not the "-le" of "table"), and a
 * silent "-es" or "-ed" after a consonant. A number counts one syllable per digit. Hyphenated
 * words count their parts.
 */
export function syllables(word: string): number {
  if (word.includes('-'))
    return word
      .split('-')
      .filter(Boolean)
      .reduce((sum, part) => sum + syllables(part), 0);
  const letters = word.toLowerCase().replace(/[^a-z]/g, '');
  if (letters === '') return Math.max(1, (word.match(/\d/g) ?? []).length);
  if (letters.length <= 3) return 1;
  let trimmed = letters;
  if (/[^laeiouy]e[sd]$/.test(trimmed)) trimmed = trimmed.slice(0, -2);
  else if (/[^aeiouy]e$/.test(trimmed) && !/[^aeiouy]le$/.test(trimmed)) trimmed = trimmed.slice(0, -1);
  trimmed = trimmed.replace(/^y/, '');
  const groups = trimmed.match(/[aeiouy]{1,2}/g);
  return Math.max(1, groups?.length ?? 0);
}

/** Figures for a piece of prose. */
export interface Readability {
  words: number;
  sentences: number;
  syllables: number;
  /** Flesch reading ease: 206.835 − 1.015 × words per sentence − 84.6 × syllables per word. Higher is easier; 60–70 is plain English. */
  fleschReadingEase: number;
}

export function readability(text: string): Readability {
  const allWords = words(text);
  const sentenceCount = Math.max(1, sentences(text).length);
  const syllableCount = allWords.reduce((sum, word) => sum + syllables(word), 0);
  const wordCount = allWords.length;
  const fleschReadingEase = wordCount === 0 ? 0 : 206.835 - 1.015 * (wordCount / sentenceCount) - 84.6 * (syllableCount / wordCount);
  return { words: wordCount, sentences: sentenceCount, syllables: syllableCount, fleschReadingEase };
}
