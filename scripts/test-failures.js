// Prints one line per failed test from Jest's --json result files, so the last lines of a CI log
// (which is all a reader may get) name what failed and why.
const { existsSync, readFileSync } = require('node:fs');
const { relative } = require('node:path');

for (const file of process.argv.slice(2).filter((path) => existsSync(path))) {
  const { testResults = [] } = JSON.parse(readFileSync(file, 'utf8'));
  for (const suite of testResults) {
    const where = relative(process.cwd(), suite.name);
    const failed = suite.assertionResults.filter((test) => test.status === 'failed');
    // A suite that failed outside its tests (a beforeAll, a syntax error) has a message of its own.
    if (failed.length === 0 && suite.status === 'failed') console.log(`FAILED ${where}: ${oneLine(suite.message)}`);
    for (const test of failed) console.log(`FAILED ${where} › ${test.fullName}: ${oneLine(test.failureMessages.join(' '))}`);
  }
}

function oneLine(text) {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '').replace(/\s+/g, ' ').trim().slice(0, 700);
}
