#!/usr/bin/env node
// The simdescent command (source: src/cli/). Build first: npm run build.
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
