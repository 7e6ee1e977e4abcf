// Preloaded into a benchmarked process (node --import): on exit, writes its peak resident set
// size and CPU time to the file named by CREDENCE_BENCH_PROBE, so the benchmark needs no
// platform tool to measure a child's memory.
import fs from 'node:fs';

const file = process.env.CREDENCE_BENCH_PROBE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    fs.writeFileSync(
      file,
      JSON.stringify({
        maxRssBytes: u.maxRSS * 1024,
        userSeconds: u.userCPUTime / 1e6,
        systemSeconds: u.systemCPUTime / 1e6,
      }),
    );
  });
}
