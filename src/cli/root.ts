/**
 * The source root (SPEC §2.1): sites of files under it are reported
 * relative to it, so annotations point at repository files. `--root DIR`,
 * else `$GITHUB_WORKSPACE`, else `$CI_PROJECT_DIR`, else the working
 * directory.
 */
import { resolve } from 'node:path';

export function sourceRoot(option: string | undefined, env: NodeJS.ProcessEnv, cwd: string = process.cwd()): string {
  const chosen = option ?? (env.GITHUB_WORKSPACE || undefined) ?? (env.CI_PROJECT_DIR || undefined) ?? cwd;
  return resolve(cwd, chosen);
}
