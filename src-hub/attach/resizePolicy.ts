// Coalesces resizes: the first applies at once, later ones within the window collapse into the last.
export class ResizeDebouncer {
  private lastApplied = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private latest: { cols: number; rows: number } | undefined;

  constructor(
    private readonly windowMs: number,
    private readonly apply: (cols: number, rows: number) => void,
    private readonly now: () => number = Date.now,
  ) {}

  request(cols: number, rows: number): void {
    this.latest = { cols, rows };
    if (this.timer) return;
    const wait = this.lastApplied + this.windowMs - this.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private flush(): void {
    this.timer = undefined;
    const size = this.latest;
    this.latest = undefined;
    if (!size) return;
    this.lastApplied = this.now();
    this.apply(size.cols, size.rows);
  }
}
