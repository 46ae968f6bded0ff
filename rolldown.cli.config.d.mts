// Types of rolldown.cli.config.mjs for the test that reads its list of lazy imports.
export declare const LAZY: RegExp;
declare const config: unknown;
export default config;
