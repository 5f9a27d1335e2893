// CSV error messages quote at most 40 characters of a field (then '…'): a 16 MB field must not
// land whole in a message. Generated: a bad field of any length, in any column, named by a
// header of any length.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { parseCSV } from '../../src/index.js';

const M = suite('data/csv-messages');

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('accepted');
}

M('a long bad value or column name is quoted cut to 40 characters and an ellipsis', () => {
  fc.assert(
    fc.property(fc.integer({ min: 41, max: 5000 }), fc.integer({ min: 1, max: 5000 }), fc.nat({ max: 1 }), (valueLen, nameLen, col) => {
      const value = 'x'.repeat(valueLen);
      const name = 'n'.repeat(nameLen);
      const header = col === 0 ? `${name},b,label` : `a,${name},label`;
      const row = col === 0 ? `${value},1,0` : `1,${value},0`;
      const msg = message(() => parseCSV(`${header}\n1,2,1\n${row}\n`));
      assert.ok(msg.includes(`"${'x'.repeat(40)}…"`), msg.slice(0, 200));
      assert.ok(msg.length < 200, `message of ${msg.length} characters`);
      if (nameLen > 40) assert.ok(msg.includes(`'${'n'.repeat(40)}…'`), msg.slice(0, 200));
      else assert.ok(msg.includes(`'${name}'`));
    }),
    { seed: 7, numRuns: 60 },
  );
});

M('a 16 MB field: the message stays short', () => {
  const big = 'y'.repeat(16 * 2 ** 20);
  const msg = message(() => parseCSV(`a,label\n${big},0\n`));
  assert.ok(msg.length < 200, `message of ${msg.length} characters`);
  assert.match(msg, /line 2, column 1 \('a'\): "y{40}…" is not a number/);
  const label = message(() => parseCSV(`a,label\n1,0\n2,${'7'.repeat(400)}.5\n`, { classification: true }));
  assert.ok(label.length < 200, label.slice(0, 300));
  const unknownLabel = message(() => parseCSV(`${'c'.repeat(300)},label\n1,0\n`, { label: 'z'.repeat(100) }));
  assert.ok(unknownLabel.length < 300, unknownLabel.slice(0, 400));
});

M.run();
