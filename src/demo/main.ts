/**
 * `npm start`: runs the demo wallet's scripted test session and streams its
 * output, as `pytest -v -s 2>&1 | valground` would, through the analyzer
 * in-process; the report is printed.
 *
 *   npm start                          native text report
 *   npm start -- --html report.html    also write the HTML report (= --reporter html:report.html)
 *   npm start -- --compat              any other valground option is passed on
 *   npm start -- --plain               the session in `pytest -s` style (result characters)
 *   npm start -- --print-session       print the session log itself instead, e.g. to pipe it
 *
 * The demo app has deliberate memory bugs, so valground exits 1 on it; the
 * demo then exits 0 after saying so, so that `npm start` does not end in an
 * npm error. Usage errors (exit 2) are passed on.
 */
import { PassThrough } from 'node:stream';
import { translateArgs } from './args.js';

async function run(argv: readonly string[]): Promise<number> {
  // Call sites are taken from the stack: with source maps they are the
  // TypeScript lines (src/demo/wallet.ts:NN), not the compiled ones. Only
  // modules loaded afterwards get their maps, hence the dynamic imports.
  process.setSourceMapsEnabled(true);
  const { runSession } = await import('./session.js');
  const { cliArgs, printSession, plain, html } = translateArgs(argv);
  const style = plain ? 'plain' : 'verbose';

  if (printSession) {
    // `npm start -- --print-session | head` closes the pipe early: not an error.
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
    await runSession((text) => process.stdout.write(text), { style });
    return 0;
  }

  const { main } = await import('../cli/main.js');
  process.stderr.write(`valground demo: the wallet app's test session (pytest ${plain ? '-s' : '-v -s'} style), streamed through valground\n\n`);
  const stdin = new PassThrough();
  const analysis = main(['-', ...cliArgs], { stdin });
  // Yield after each test so the analyzer reports tests as they complete.
  await runSession((text) => stdin.write(text), { style, afterTest: () => new Promise((resolve) => setImmediate(resolve)) });
  stdin.end();
  const code = await analysis;
  if (code === 1) {
    process.stderr.write(
      '\nvalground exited with status 1: it found the demo app\'s deliberate memory bugs (a CI job would fail here).\n' +
        (html.length > 0 ? `HTML report: ${html.join(', ')}\n` : 'See them in a browser: npm start -- --html report.html\n') +
        'The demo itself exits 0.\n',
    );
    return 0;
  }
  return code;
}

process.exitCode = await run(process.argv.slice(2));
