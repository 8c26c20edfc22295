/** Command-line handling of `npm start` (kept apart from main.ts, which runs on import). */

export interface DemoArgs {
  /** Arguments for the valground CLI. */
  cliArgs: string[];
  /** Print the session log instead of analysing it. */
  printSession: boolean;
  /** Session in `pytest -s` style instead of `pytest -v -s`. */
  plain: boolean;
}

/** Demo-only options, and `--html PATH` rewritten as `--reporter html:PATH`; the rest is passed on. */
export function translateArgs(args: readonly string[]): DemoArgs {
  const cliArgs: string[] = [];
  let printSession = false;
  let plain = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--print-session') printSession = true;
    else if (arg === '--plain') plain = true;
    else if (arg === '--html' && i + 1 < args.length) cliArgs.push('--reporter', `html:${args[++i]}`);
    else if (arg.startsWith('--html=')) cliArgs.push('--reporter', `html:${arg.slice('--html='.length)}`);
    else cliArgs.push(arg);
  }
  return { cliArgs, printSession, plain };
}
