/**
 * The course modules in courses/, whichever council's they are: every quiz passes
 * and fails as its author intends, and no lesson names the council's own contacts.
 * The demonstration council's modules also meet its editorial standards: exactly
 * its five modules, enough lesson, plain enough English, scenarios, and feedback
 * on every option that says whether it is right.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCourse, splitFrontmatter } from '../../../src/lib/content/read.ts';
import type { Question, Quiz } from '../../../src/lib/content/schema.ts';
import { scoreAttempt } from '../../../src/lib/quiz/index.ts';
import { lessonProse, readability, sentences, syllables, words } from './readability.ts';

const root = process.cwd();
const course = readCourse(root);
const demo = course.site.demo;
const moduleIds = Object.keys(course.modules).sort();

const demoModules = ['domestic-abuse', 'family-hubs', 'local-offer-and-referrals', 'reducing-parental-conflict', 'safeguarding-basics', 'whole-family-working'];

const lessonBody = (id: string): string => {
  const parts = splitFrontmatter(readFileSync(join(root, 'courses', 'modules', id, 'index.mdx'), 'utf8'));
  if (!parts) throw new Error(`${id}: no frontmatter`);
  return parts.body;
};

/** Correct questions needed to pass, counted the way the quiz scores: whole questions, not floats. */
const neededToPass = (quiz: Quiz) => Math.ceil(quiz.passMark * quiz.questions.length - 1e-9);

/** Option ids that answer a question correctly, and a wrong answer of the kind a learner might give. */
const rightAnswer = (question: Question) => question.options.filter((option) => option.correct).map((option) => option.id);
const wrongAnswer = (question: Question) => {
  const right = rightAnswer(question);
  // On a multiple-choice question a partial answer is wrong: leave one correct option out.
  if (question.type === 'multiple' && right.length > 1) return right.slice(1);
  return [question.options.find((option) => !option.correct)!.id];
};
/** Scores answers, given in question order, with the quiz's own scoring. */
const score = (quiz: Quiz, answers: string[][]) => {
  const result = scoreAttempt(quiz, Object.fromEntries(quiz.questions.map((question, index) => [question.id, answers[index] ?? []])));
  return { correct: result.correctCount, scaled: result.scaled, passed: result.passed };
};

describe('readability helper', () => {
  it('counts syllables in common words', () => {
    expect(syllables('cat')).toBe(1);
    expect(syllables('family')).toBe(3);
    expect(syllables('people')).toBe(2);
    expect(syllables('made')).toBe(1);
    expect(syllables('safeguarding')).toBe(4);
    expect(syllables('whole')).toBe(1);
    expect(syllables('free')).toBe(1);
    expect(syllables('whole-family')).toBe(4);
  });

  it('reads prose out of MDX: components, links, headings and lists', () => {
    const prose = lessonProse(
      '## Who to tell\n\nTell <Council />. Use [the local offer directory](/services/).\n\n<Contact of="familyHubs" />\n\n- first point\n- second point\n\n<Scenario title="At the library">\nA dad asks.\n</Scenario>\n',
    );
    expect(prose).not.toMatch(/[<>#[\]]/);
    expect(sentences(prose)).toEqual([
      'Who to tell.',
      'Tell the council.',
      'Use the local offer directory.',
      'first point.',
      'second point.',
      'At the library.',
      'A dad asks.',
    ]);
    expect(words(prose)).toHaveLength(21);
  });

  it('scores plain sentences as easy and long, Latinate ones as hard', () => {
    expect(readability('The cat sat on the mat. It was warm.').fleschReadingEase).toBeGreaterThan(90);
    expect(
      readability('Multi-agency safeguarding arrangements necessitate comprehensive interorganisational information governance.').fleschReadingEase,
    ).toBeLessThan(0);
  });
});

/** What a lesson must never name, because `<Contact>`, `<Hubs>` and `<Council />` read it from site.yaml. */
const councilDetails = (() => {
  const { site } = course;
  const contacts = Object.values(site.contacts).flatMap((contact) => [contact, ...('outOfHours' in contact && contact.outOfHours ? [contact.outOfHours] : [])]);
  const details = [
    site.council,
    ...site.hubs.flatMap((hub) => [hub.address, hub.phone]),
    ...contacts.flatMap((contact) => [contact.phone, contact.email, contact.web]),
  ];
  return details.filter((detail): detail is string => Boolean(detail));
})();

describe('course modules', () => {
  it('has a module and a quiz for every module folder', () => {
    expect(moduleIds.length).toBeGreaterThan(0);
    expect(Object.keys(course.quizzes).sort()).toEqual(moduleIds);
  });

  it.runIf(demo)('has exactly the demonstration council’s five modules', () => {
    expect(moduleIds).toEqual(demoModules);
  });

  const figures: Record<string, Record<string, number | string>> = {};

  describe.each(moduleIds)('%s', (id) => {
    const meta = course.modules[id];
    const quiz = course.quizzes[id];
    if (!meta || !quiz) {
      it('exists', () => expect(meta && quiz, `courses/modules/${id}/ needs index.mdx and quiz.yaml`).toBeTruthy());
      return;
    }
    const body = lessonBody(id);
    const stats = readability(lessonProse(body));
    figures[id] = {
      minutes: meta.minutes,
      words: stats.words,
      sentences: stats.sentences,
      'words/sentence': Number((stats.words / stats.sentences).toFixed(1)),
      'reading ease': Number(stats.fleschReadingEase.toFixed(1)),
      questions: quiz.questions.length,
      scenarios: quiz.questions.filter((question) => question.type === 'scenario').length,
      'pass needs': `${neededToPass(quiz)}/${quiz.questions.length}`,
    };

    it.runIf(demo)('takes 10 to 20 minutes and lists outcomes and sources', () => {
      expect(meta.minutes).toBeGreaterThanOrEqual(10);
      expect(meta.minutes).toBeLessThanOrEqual(20);
      expect(meta.outcomes.length).toBeGreaterThanOrEqual(3);
      expect(meta.sources.length).toBeGreaterThanOrEqual(1);
    });

    it.runIf(demo)('has a lesson of at least 700 words in short sections', () => {
      expect(stats.words).toBeGreaterThanOrEqual(700);
      expect((body.match(/^## /gm) ?? []).length).toBeGreaterThanOrEqual(4);
    });

    it.runIf(demo)('reads as plain English: Flesch reading ease of at least 60', () => {
      expect(stats.fleschReadingEase).toBeGreaterThanOrEqual(60);
    });

    it.runIf(demo)('has at least one worked scenario', () => {
      expect(body).toMatch(/<Scenario title="[^"]+">/);
    });

    const lessonAndQuiz = () =>
      readFileSync(join(root, 'courses', 'modules', id, 'index.mdx'), 'utf8') + readFileSync(join(root, 'courses', 'modules', id, 'quiz.yaml'), 'utf8');

    it('never names the council’s own contacts, which come from site.yaml', () => {
      const text = lessonAndQuiz().toLowerCase();
      expect(councilDetails.filter((detail) => text.includes(detail.toLowerCase()))).toEqual([]);
    });

    it.runIf(demo)('never hard-codes the demo council', () => {
      expect(lessonAndQuiz()).not.toMatch(/brookfield|northgate|riverside|eastmoor|0113 496|example\.org/i);
    });

    it.runIf(demo)('has a quiz of at least 8 questions, 3 or more of them scenarios', () => {
      expect(quiz.questions.length).toBeGreaterThanOrEqual(8);
      expect(quiz.questions.filter((question) => question.type === 'scenario').length).toBeGreaterThanOrEqual(3);
    });

    it.runIf(demo)('mixes question types, and asks for every answer on multiple-choice questions', () => {
      const types = new Set(quiz.questions.map((question) => question.type));
      expect(types).toEqual(new Set(['single', 'multiple', 'true-false', 'scenario']));
      for (const question of quiz.questions.filter((q) => q.type === 'multiple')) {
        expect(question.prompt, question.id).toMatch(/select all that apply/i);
        expect(rightAnswer(question).length, question.id).toBeGreaterThan(1);
      }
    });

    it.runIf(demo)('gives feedback on every option that says whether it is right', () => {
      for (const question of quiz.questions) {
        for (const option of question.options) {
          expect(option.feedback.trim().length, `${question.id}/${option.id}`).toBeGreaterThan(20);
          expect(option.feedback, `${question.id}/${option.id}`).toMatch(option.correct ? /^(Right|Correct|Yes)\b/ : /^(Not quite|No|Wrong)\b/);
        }
      }
    });

    it.runIf(demo)('passes at 80%', () => {
      expect(quiz.passMark).toBe(0.8);
    });

    it('passes every answer right and fails once too many are wrong', () => {
      const allRight = quiz.questions.map(rightAnswer);
      expect(score(quiz, allRight)).toEqual({ correct: quiz.questions.length, scaled: 1, passed: true });

      // Each question wrong on its own costs exactly one mark.
      quiz.questions.forEach((question, index) => {
        const answers = allRight.map((answer, i) => (i === index ? wrongAnswer(question) : answer));
        expect(score(quiz, answers).correct, question.id).toBe(quiz.questions.length - 1);
      });

      // Get wrong, one by one from the start, just enough questions to drop below the pass mark.
      const allowed = quiz.questions.length - neededToPass(quiz);
      const atMark = quiz.questions.map((question, index) => (index < allowed ? wrongAnswer(question) : rightAnswer(question)));
      const result = score(quiz, atMark);
      expect(result.scaled).toBeGreaterThanOrEqual(quiz.passMark);
      expect(result.passed).toBe(true);
      const belowMark = quiz.questions.map((question, index) => (index <= allowed ? wrongAnswer(question) : rightAnswer(question)));
      const failed = score(quiz, belowMark);
      expect(failed.scaled).toBeLessThan(quiz.passMark);
      expect(failed.passed).toBe(false);

      // And from the end, so every question takes part in a failing attempt.
      const fromEnd = quiz.questions.map((question, index) => (index >= quiz.questions.length - allowed - 1 ? wrongAnswer(question) : rightAnswer(question)));
      expect(score(quiz, fromEnd).passed).toBe(false);
    });
  });

  it('reports each module’s figures', () => {
    console.log('Module figures (lesson prose only):');
    console.table(figures);
    expect(Object.keys(figures).sort()).toEqual(moduleIds);
  });
});
