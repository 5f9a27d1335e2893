#!/usr/bin/env node
// The simdescent command (source: src/cli/, compiled to dist/cli/ by `npm run build`).
let main;
try {
  ({ main } = await import('../dist/cli/main.js'));
} catch (err) {
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/main.js')) {
    process.stderr.write('simdescent: the command is not built yet; run npm run build\n');
    process.exit(1);
  }
  throw err;
}
process.exitCode = await main(process.argv.slice(2));
