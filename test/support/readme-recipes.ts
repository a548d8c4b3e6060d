/** The README's "Instrumenting your services" recipes, read from the README itself, so what a user copies is what the tests run. */
import { readFileSync } from 'node:fs';

const README = new URL('../../README.md', import.meta.url);

/**
 * The YAML block of the README marked `# recipe: <name>`, its first target's URL replaced by
 * `url`. Throws when there is no such recipe, so a renamed recipe fails its test.
 *
 * @example
 * ```ts
 * const text = readmeRecipe('Go promhttp', target.url);
 * const policy = parsePolicy(text, 'README.md');
 * ```
 */
export function readmeRecipe(name: string, url: string): string {
  const readme = readFileSync(README, 'utf8');
  for (const [, block] of readme.matchAll(/```yaml\n([\s\S]*?)```/g)) {
    if (!block.startsWith(`# recipe: ${name}\n`)) continue;
    return block.replace(/^(\s+- url: )\S+/m, `$1${url}`);
  }
  throw new Error(`README.md has no block "# recipe: ${name}"`);
}
