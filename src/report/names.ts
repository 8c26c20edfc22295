/**
 * The schema names the JSON documents carry. Apart from the zod schemas so
 * that writing a report loads no validator (start-up: zod loads only when a
 * report is read back).
 */
export const REPORT_SCHEMA = 'valground-report/1';
export const REPLAY_SCHEMA = 'valground-replay/1';
