// Prints the failed (and flaky) tests of a Playwright JSON report, with the first lines of
// each error, so that the last lines of a CI log name what failed.
// Usage: node summarise-failures.mjs playwright-results.json
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'playwright-results.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  console.log(`--- no Playwright JSON report to summarise (${file}: ${err.message})`);
  process.exit(0);
}

// Strips ANSI colour codes from Playwright's messages.
const plain = text => String(text ?? '').replace(/\u001b\[[0-9;]*m/g, '');

const failed = [];
const walk = (suite, titles) => {
  const here = suite.title ? [...titles, suite.title] : titles;
  for (const spec of suite.specs ?? []) {
    for (const test of spec.tests ?? []) {
      const bad = (test.results ?? []).filter(r => r.status !== 'passed' && r.status !== 'skipped');
      if (bad.length === 0) continue;
      failed.push({
        title: [...here, spec.title].join(' › '),
        where: `${spec.file}:${spec.line}`,
        result: bad[bad.length - 1]
      });
    }
  }
  for (const child of suite.suites ?? []) walk(child, here);
};
for (const suite of report.suites ?? []) walk(suite, []);

const stats = report.stats ?? {};
console.log(
  `--- Playwright: ${stats.expected ?? '?'} passed, ${stats.unexpected ?? '?'} failed, ` +
    `${stats.flaky ?? 0} flaky, ${stats.skipped ?? 0} skipped`
);
for (const error of report.errors ?? []) {
  console.log(
    `error outside a test: ${plain(error.message).split('\n').slice(0, 12).join('\n  ')}`
  );
}
for (const { title, where, result } of failed) {
  console.log(
    `FAILED ${where} ${title} (${result.status} after ${Math.round(result.duration / 1000)} s)`
  );
  for (const error of result.errors ?? []) {
    console.log('  ' + plain(error.message).split('\n').slice(0, 15).join('\n  '));
  }
}
