/** `--reporter json`: the machine report of SPEC §5.3, written by the report schema's writer. */
import { renderJson } from '../report/write.js';
import { registerReporter } from './registry.js';

registerReporter('json', () => ({ end: renderJson }));
