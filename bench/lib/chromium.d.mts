// Types of bench/lib/chromium.mjs, for the TypeScript that imports it (e2e/harness.ts).
export declare const CHROMIUM: string;
export declare const CHROMIUM_ARGS: readonly string[];
export declare function chromiumLaunchOptions(options?: { spki?: string; executablePath?: string }): {
  executablePath: string;
  headless: true;
  args: string[];
};
