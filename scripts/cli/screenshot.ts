import { launchBrowser } from '../chromium';

/** The widths email is read at: a desktop client's reading pane, and a phone. */
export const VIEWPORTS = [
  { label: 'desktop', width: 1024, height: 800 },
  { label: 'mobile', width: 375, height: 740 },
] as const;

/** Full-page screenshots of an email's HTML with Debian's Chromium; no network (images may not load). */
export async function screenshotEmail(html: string, basePath: string): Promise<{ label: string; width: number; path: string }[]> {
  const browser = await launchBrowser();
  try {
    const shots = [];
    for (const viewport of VIEWPORTS) {
      const page = await browser.newPage({ viewport: { width: viewport.width, height: viewport.height } });
      // Offline on purpose: a preview must not tell image hosts anything.
      await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
      await page.setContent(html, { waitUntil: 'load' });
      const path = `${basePath}-${viewport.label}.png`;
      await page.screenshot({ path, fullPage: true });
      await page.close();
      shots.push({ label: viewport.label, width: viewport.width, path });
    }
    return shots;
  } finally {
    await browser.close();
  }
}
