/**
 * Certificate build time (first and warm) and size for a Latin and an Arabic
 * name, against a baseline from the same run: an empty A4 page saved by pdf-lib.
 */
import { PDFDocument, PageSizes } from 'pdf-lib';
import { buildCertificate } from '../../src/lib/certificate/index.ts';
import { loadFontFromNodeModules, readFontUncached } from '../fixtures/certificate/fonts.ts';
import { exampleCertificateInput } from '../fixtures/certificate/inputs.ts';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function emptyA4() {
  const doc = await PDFDocument.create();
  doc.addPage(PageSizes.A4);
  return doc.save();
}

/** Returns the rows `npm run bench` reports; baselines are measured in the same run. */
export async function run() {
  const input = exampleCertificateInput('Siân Llŷr', 8);

  const baselineStart = performance.now();
  const empty = await emptyA4();
  const baselineCold = performance.now() - baselineStart;
  const baselineTimes = [];
  for (let round = 0; round < 10; round++) {
    const start = performance.now();
    await emptyA4();
    baselineTimes.push(performance.now() - start);
  }
  const baselineWarm = median(baselineTimes);

  // Cold: fonts read from disk into fresh arrays, so nothing is prepared yet.
  const coldStart = performance.now();
  const first = await buildCertificate(input, { loadFont: readFontUncached });
  const cold = performance.now() - coldStart;

  /** Median of ten builds once the fonts are loaded and prepared. */
  async function warmBuild(name) {
    const named = exampleCertificateInput(name, 8);
    await buildCertificate(named, { loadFont: loadFontFromNodeModules });
    const times = [];
    for (let round = 0; round < 10; round++) {
      const start = performance.now();
      await buildCertificate(named, { loadFont: loadFontFromNodeModules });
      times.push(performance.now() - start);
    }
    return median(times);
  }
  const warm = await warmBuild('Siân Llŷr');
  const warmArabic = await warmBuild('محمد علي');
  const warmMixed = await warmBuild('Ali علي Khan');

  const round2 = (value) => Math.round(value * 100) / 100;
  const baseline = (value, unit) => ({ name: 'empty A4 page saved by pdf-lib', value: round2(value), unit });
  return [
    {
      name: 'certificate build, first (Latin name, 8 rows)',
      value: round2(cold),
      unit: 'ms',
      baseline: baseline(baselineCold, 'ms'),
      ratio: cold / baselineCold,
    },
    {
      name: 'certificate build, warm (median of 10)',
      value: round2(warm),
      unit: 'ms',
      baseline: baseline(baselineWarm, 'ms'),
      ratio: warm / baselineWarm,
      target: '< 300 ms',
    },
    {
      name: 'certificate build, warm, Arabic name',
      value: round2(warmArabic),
      unit: 'ms',
      baseline: baseline(baselineWarm, 'ms'),
      ratio: warmArabic / baselineWarm,
      target: '< 300 ms',
    },
    {
      name: 'certificate build, warm, mixed-direction name',
      value: round2(warmMixed),
      unit: 'ms',
      baseline: baseline(baselineWarm, 'ms'),
      ratio: warmMixed / baselineWarm,
      target: '< 300 ms',
    },
    {
      name: 'certificate PDF size, Latin name',
      value: first.bytes.length,
      unit: 'B',
      baseline: baseline(empty.length, 'B'),
      ratio: first.bytes.length / empty.length,
      target: '< 102400 B',
    },
  ];
}
