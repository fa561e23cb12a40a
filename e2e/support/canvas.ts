/** Canvas helpers the browser tests share. */
import { expect, type Locator, type Page } from '@playwright/test';

/** A state's node on the canvas. */
export const node = (page: Page, name: string): Locator => page.locator(`.react-flow__node[data-id="${name}"]`);

/**
 * Selects a state with Find, which centres it (the canvas may be gliding after auto-layout, or
 * following the preview): Enter steps through the matches until the inspector shows the state.
 */
export async function selectState(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Find', exact: true }).click();
  const search = page.getByRole('searchbox', { name: 'Find a state by name or text' });
  await search.fill(name);
  await expect(async () => {
    await search.press('Enter');
    await expect(page.locator('#f-name')).toHaveValue(name, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await search.press('Escape');
}

/** Opens the article's flow from the files list and waits for its first auto-layout (slow on a loaded machine). */
export async function openArticleFlow(page: Page, studioUrl: string): Promise<void> {
  await page.goto(studioUrl);
  await page.getByRole('button', { name: 'bot-assistant.json' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(12);
  await expect(page.getByRole('button', { name: 'Auto-layout' })).toBeEnabled({ timeout: 30_000 });
}
