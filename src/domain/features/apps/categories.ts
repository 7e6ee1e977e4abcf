/**
 * Installed apps by category, from the mapping shipped as data (app-categories.json): an exact
 * package name first, else its longest listed prefix, else `other`. Fake-GPS, root and cloner apps
 * are categories too, and read as fraud signals.
 */
import mapping from './app-categories.json' with { type: 'json' };

export const APP_CATEGORIES = [
  'lending',
  'banking',
  'finance',
  'wallet',
  'investment',
  'gambling',
  'social',
  'dating',
  'productivity',
  'jobs',
  'shopping',
  'telecom',
  'system',
  'fake_gps',
  'root',
  'cloner',
  'other',
] as const;
export type AppCategory = (typeof APP_CATEGORIES)[number];

/** Categories counted as the Play Store's finance genre (`cnt_apps_genre_finance`). */
export const FINANCE_GENRE: ReadonlySet<AppCategory> = new Set([
  'lending',
  'banking',
  'finance',
  'wallet',
  'investment',
]);

const exact = new Map(Object.entries(mapping.packages) as [string, AppCategory][]);
const prefixes = (Object.entries(mapping.prefixes) as [string, AppCategory][]).sort(
  (a, b) => b[0].length - a[0].length,
);

export function appCategory(packageName: string): AppCategory {
  const pkg = packageName.trim().toLowerCase();
  const hit = exact.get(pkg);
  if (hit) return hit;
  for (const [prefix, category] of prefixes) if (pkg.startsWith(prefix)) return category;
  return 'other';
}
