import { test, expect } from '@playwright/test';
import { waitForHydration } from '../support/people';

test('with JavaScript, a field is checked as soon as the person leaves it', async ({ page }) => {
  await page.goto('/sign-in');
  await waitForHydration(page, true);
  const email = page.getByLabel('Email', { exact: true });
  await email.fill('ada@');
  await email.blur();
  await expect(page.getByText('Enter an email address like name@example.com.')).toBeVisible();
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await email.fill('ada@example.com');
  await email.blur();
  await expect(page.getByText('Enter an email address like name@example.com.')).toBeHidden();
  await expect(email).toHaveAttribute('aria-invalid', 'false');
});
