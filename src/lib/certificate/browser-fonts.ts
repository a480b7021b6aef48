/**
 * Certificate fonts for the browser: Vite turns each import into the URL of
 * the file it copies into the build, and nothing is fetched until a
 * certificate asks, so a 10 MB Chinese font loads only for Chinese text, in the weight it is drawn in.
 */
import latinUrl from '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf?url';
import latinBoldUrl from '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf?url';
import arabicUrl from '@expo-google-fonts/noto-sans-arabic/400Regular/NotoSansArabic_400Regular.ttf?url';
import arabicBoldUrl from '@expo-google-fonts/noto-sans-arabic/700Bold/NotoSansArabic_700Bold.ttf?url';
import cjkUrl from '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf?url';
import cjkBoldUrl from '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf?url';
import { CertificateFontError } from './errors.ts';
import type { CertificateFont } from './text.ts';

const fontUrls: Record<CertificateFont, string> = {
  'latin-greek-cyrillic': latinUrl,
  'latin-greek-cyrillic-bold': latinBoldUrl,
  arabic: arabicUrl,
  'arabic-bold': arabicBoldUrl,
  cjk: cjkUrl,
  'cjk-bold': cjkBoldUrl,
};

const loaded = new Map<CertificateFont, Promise<Uint8Array>>();

/** Fetches a certificate font once per page; pass it as `deps.loadFont` to buildCertificate. */
export function loadFontFromSite(font: CertificateFont): Promise<Uint8Array> {
  let bytes = loaded.get(font);
  if (!bytes) {
    bytes = fetch(fontUrls[font]).then(async (response) => {
      if (!response.ok) throw new CertificateFontError(`The certificate font at ${response.url} could not be downloaded (HTTP ${response.status}).`);
      return new Uint8Array(await response.arrayBuffer());
    });
    // A failed download may succeed on the next try.
    bytes.catch(() => loaded.delete(font));
    loaded.set(font, bytes);
  }
  return bytes;
}
