// After `npm test`: the slowest test files (so slow tests get noticed), then the
// plain closing line CI reads, "N passed, N failed".
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const SLOWEST = 5;
const results = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const files = results.testResults
  .map((file) => ({ name: relative(process.cwd(), file.name), ms: file.endTime - file.startTime }))
  .sort((a, b) => b.ms - a.ms)
  .slice(0, SLOWEST);
console.log(`\nslowest test files:`);
for (const file of files)
  console.log(`  ${(file.ms / 1000).toFixed(1).padStart(6)} s  ${file.name}`);
console.log(`\n${results.numPassedTests} passed, ${results.numFailedTests} failed`);
