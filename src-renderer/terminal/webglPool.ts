// Browsers keep only about 16 live WebGL contexts per page and drop the oldest past that; the pool hands
// out fewer, to visible panes only, so no context is ever lost to the cap. Others use the DOM renderer.
export const WEBGL_CONTEXTS_MAX = 8;

export class WebglPool {
  private readonly holders = new Set<string>();

  constructor(private readonly max = WEBGL_CONTEXTS_MAX) {}

  get active(): number {
    return this.holders.size;
  }

  has(holder: string): boolean {
    return this.holders.has(holder);
  }

  /** True when `holder` may (keep) use a WebGL context. */
  acquire(holder: string): boolean {
    if (this.holders.has(holder)) return true;
    if (this.holders.size >= this.max) return false;
    this.holders.add(holder);
    return true;
  }

  release(holder: string): void {
    this.holders.delete(holder);
  }
}
