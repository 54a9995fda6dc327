/**
 * Fixed-memory latency histogram (10 µs bins up to 1 s, then one overflow bin), so a long run
 * does not grow the heap it is measuring.
 */
export class LatencyHistogram {
  private readonly bins = new Uint32Array(100_001);
  count = 0;
  max = 0;

  record(ms: number): void {
    this.bins[Math.min(this.bins.length - 1, Math.floor(ms * 100))]!++;
    this.count++;
    if (ms > this.max) this.max = ms;
  }

  percentile(p: number): number {
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let i = 0; i < this.bins.length; i++) {
      seen += this.bins[i]!;
      if (seen >= rank) return (i + 1) / 100;
    }
    return this.max;
  }
}
