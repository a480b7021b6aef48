/**
 * What a receptionist types with a parent at the desk, and the result that should
 * come first, for the demonstration council's content. Families' own words, short
 * phrases and common misspellings. A council with its own courses/ writes its own set.
 */
export interface SearchCase {
  query: string;
  /** The address of the result that should come first. */
  expected: string;
}

const service = (id: string) => `/services/#${id}`;
const lesson = (id: string) => `/modules/${id}/`;

export const demoSearchCases: readonly SearchCase[] = [
  { query: 'no money for food', expected: service('food-and-crisis-support') },
  { query: 'food bank', expected: service('food-and-crisis-support') },
  { query: 'partner shouting', expected: service('parents-relationship-support') },
  { query: 'parents arguing all the time', expected: service('parents-relationship-support') },
  { query: 'speech delay', expected: service('health-visiting') },
  { query: 'debt', expected: service('money-and-work-advice') },
  { query: 'universal credit', expected: service('money-and-work-advice') },
  { query: 'breastfeeding', expected: service('infant-feeding-support') },
  { query: 'brestfeeding', expected: service('infant-feeding-support') },
  { query: 'autism assessment', expected: service('send-information-advice') },
  { query: 'autisim', expected: service('send-information-advice') },
  { query: 'EHCP', expected: service('send-information-advice') },
  { query: 'housing', expected: service('housing-advice') },
  { query: 'evicted', expected: service('housing-advice') },
  { query: 'damp and mould', expected: service('housing-advice') },
  { query: 'safegaurding', expected: lesson('safeguarding-basics') },
  { query: 'worried about a child', expected: lesson('safeguarding-basics') },
  { query: 'postnatal depression', expected: service('perinatal-mental-health') },
  { query: 'suicidal', expected: service('adult-mental-health-crisis') },
  { query: 'domestic violence', expected: service('domestic-abuse-support') },
  { query: 'scared of my partner', expected: service('domestic-abuse-support') },
  { query: 'toddler group', expected: service('stay-and-play') },
  { query: 'tantrums', expected: service('parenting-programmes') },
  { query: 'young carer', expected: service('young-carers') },
  { query: 'holiday club', expected: service('holiday-activity-clubs') },
  { query: 'bedwetting', expected: service('school-nursing') },
  { query: 'respite', expected: service('short-breaks') },
  { query: 'learn English', expected: service('adult-learning') },
  { query: 'lonely', expected: service('parent-wellbeing') },
  { query: 'stop smoking', expected: service('healthy-living') },
  { query: 'youth club', expected: service('youth-clubs') },
  { query: 'refferal', expected: lesson('local-offer-and-referrals') },
];
