/** A realistic quiz with one question of every type, parsed as the build parses it. */
import { quizSchema, type Quiz } from '../../../src/lib/content/index.ts';

export function sampleQuiz(overrides: Partial<{ passMark: number; shuffle: boolean }> = {}): Quiz {
  return quizSchema.parse({
    ...overrides,
    questions: [
      {
        id: 'front-door',
        type: 'single',
        prompt: 'Who do you contact if you think a child is at risk of harm?',
        options: [
          { id: 'front-door', text: "The Children's Services Front Door", correct: true, feedback: 'Right. The Front Door takes every concern about a child.' },
          { id: 'manager-later', text: 'Your manager at the end of the week', feedback: 'Not quite. A worry about harm cannot wait.' },
          { id: 'nobody', text: 'Nobody, unless you are sure', feedback: 'Not quite. You do not need to be sure to share a worry.' },
        ],
      },
      {
        id: 'hub-offers',
        type: 'multiple',
        prompt: 'Which of these can a family hub help with? Choose all that apply.',
        options: [
          { id: 'infant-feeding', text: 'Infant feeding support', correct: true, feedback: 'Right. It is part of Best Start for Life.' },
          { id: 'debt-advice', text: 'Money and debt advice', correct: true, feedback: 'Right. Hubs link families to money advice.' },
          { id: 'passports', text: 'Passport applications', feedback: 'Not quite. That is the Passport Office.' },
        ],
      },
      {
        id: 'one-building',
        type: 'true-false',
        prompt: 'A family hub is only ever one building.',
        options: [
          { id: 'true', text: 'True', feedback: 'Not quite. A hub is a network of places.' },
          { id: 'false', text: 'False', correct: true, feedback: 'Right. It includes outreach and online help.' },
        ],
      },
      {
        id: 'age-range',
        type: 'scenario',
        scenario: 'A mother says her son is 22 and autistic, and asks whether the hub can help him.',
        prompt: 'What do you tell her?',
        options: [
          { id: 'yes-send', text: 'Yes, up to 25 with SEND.', correct: true, feedback: 'Right. Hubs cover up to 25 for young people with SEND.' },
          { id: 'under-fives', text: 'No, only children under five.', feedback: 'Not quite. That was the old children’s centres.' },
        ],
      },
      {
        id: 'conflict',
        type: 'single',
        prompt: 'Parents argue loudly at the counter. What helps most?',
        options: [
          { id: 'calm-space', text: 'Offer a quieter space and the hub’s number', correct: true, feedback: 'Right. A calm offer of help.' },
          { id: 'take-sides', text: 'Say which parent is right', feedback: 'Not quite. Taking sides can make it worse.' },
          { id: 'ignore', text: 'Ignore it', feedback: 'Not quite.' },
          { id: 'leave', text: 'Ask them to leave at once', feedback: 'Not quite, unless anyone is unsafe.' },
        ],
      },
    ],
  });
}

/** Answers that get every question in `sampleQuiz` right. */
export const allCorrect = {
  'front-door': ['front-door'],
  'hub-offers': ['infant-feeding', 'debt-advice'],
  'one-building': ['false'],
  'age-range': ['yes-send'],
  conflict: ['calm-space'],
} as const;
