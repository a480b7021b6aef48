import { describe, expect, it } from 'vitest';
import { serviceSchema } from '../../../src/lib/content/index.ts';
import { howFamiliesReach, serviceSearchRecord } from '../../../src/lib/search/index.ts';

const service = serviceSchema.parse({
  name: 'Food & "crisis" <support>',
  theme: 'money-employment-housing',
  summary: 'Help when money for food runs out.',
  who: 'Any resident.',
  districts: 'all',
  access: ['drop-in', 'self-referral'],
  contact: { phone: '0113 496 0630' },
  searchTerms: ['no money for food', 'food bank'],
});

describe('the search record of a service', () => {
  it('links to the service in the local offer', () => {
    expect(serviceSearchRecord('food-and-crisis-support', service).url).toBe('/services/#food-and-crisis-support');
  });

  it('says how families reach it', () => {
    expect(howFamiliesReach(service)).toBe('Drop in. Families can refer themselves.');
    expect(serviceSearchRecord('food', service).html).toContain('data-pagefind-meta="reach:Drop in. Families can refer themselves."');
  });

  it('is marked as a service and weighs the words families use most', () => {
    const { html } = serviceSearchRecord('food', service);
    expect(html).toContain('data-pagefind-body');
    expect(html).toContain('data-pagefind-meta="kind:Service"');
    expect(html).toContain('<p data-pagefind-weight="8">no money for food. food bank.</p>');
  });

  it('leaves out the weighted words when there are none', () => {
    expect(serviceSearchRecord('food', { ...service, searchTerms: [] }).html).not.toContain('data-pagefind-weight');
  });

  it('escapes what the council wrote, so it stays text', () => {
    const { html } = serviceSearchRecord('food', service);
    expect(html).toContain('<h1 data-pagefind-meta="title">Food &amp; &quot;crisis&quot; &lt;support&gt;</h1>');
    expect(html).not.toContain('<support>');
  });
});
