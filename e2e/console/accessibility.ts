import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import type { PageGlobals } from './page-globals';

/** axe-core's serious and critical violations of WCAG 2.1 A and AA on the page as it is, one line each. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Legacy mode runs axe in the page itself instead of opening a page more per run (half the
  // time here); it only misses cross-origin frames, and the console has none.
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).setLegacyMode(true).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

/** How far the page is wider than its viewport (0: nothing to scroll sideways). */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const { documentElement } = (globalThis as unknown as PageGlobals).document;
    return documentElement.scrollWidth - documentElement.clientWidth;
  });
}
