/** Command-line handling of `npm start` (kept apart from main.ts, which runs on import). */

export interface DemoArgs {
  /** Arguments for the valground CLI. */
  cliArgs: string[];
  /** Print the session log instead of analysing it. */
  printSession: boolean;
  /** Session in `pytest -s` style instead of `pytest -v -s`. */
  plain: boolean;
  /** Paths given with --html. */
  html: string[];
}

/**
 * Demo-only options, and `--html PATH` rewritten as `--reporter html:PATH`
 * (plus `--reporter text`, so the report still shows, unless other reporters
 * were asked for); the rest is passed on.
 */
export function translateArgs(args: readonly string[]): DemoArgs {
  const cliArgs: string[] = [];
  let printSession = false;
  let plain = false;
  const html: string[] = [];
  let otherReporters = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--print-session') printSession = true;
    else if (arg === '--plain') plain = true;
    else if (arg === '--html' && i + 1 < args.length) html.push(args[++i]);
    else if (arg.startsWith('--html=')) html.push(arg.slice('--html='.length));
    else {
      if (arg === '--reporter' || arg === '-r' || arg.startsWith('--reporter=')) otherReporters = true;
      cliArgs.push(arg);
    }
  }
  for (const path of html) cliArgs.push('--reporter', `html:${path}`);
  if (html.length > 0 && !otherReporters) cliArgs.push('--reporter', 'text');
  return { cliArgs, printSession, plain, html };
}
