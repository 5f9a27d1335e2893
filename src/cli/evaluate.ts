// simdescent evaluate --run R --data test.csv: a trained run scored on labelled rows — loss and
// accuracy with a confusion matrix for classes; loss (MSE), R² and MAE in the target's units for
// regression. --json prints the same numbers as one document (keys as train's `test`).
import { Command } from 'commander';
import { formatNumber } from './chart.js';
import { EXIT, result } from './errors.js';
import { openRun, tableError } from './run-dir.js';
import { closeEngine, engine } from './setup.js';
import { readTable } from './tabular.js';

export function evaluateCommand(): Command {
  return new Command('evaluate')
    .description('score a trained run on labelled rows (loss, accuracy and confusion matrix, or R² and MAE)')
    .requiredOption('--run <dir>', 'the directory simdescent train wrote (run.json, preprocessor.json, model.safetensors)')
    .requiredOption('--data <file.csv>', 'rows with the training columns and the label column')
    .option('--json', 'print one JSON document with the scores', false)
    .option('--scalar', 'use the scalar (non-SIMD) WebAssembly build', false)
    .action(async (o) => {
      result.code = await runEvaluate(o);
    });
}

async function runEvaluate(o: Record<string, any>): Promise<number> {
  const sd = await engine(o);
  try {
    const run = await openRun(sd, o.run);
    const table = readTable(o.data);
    let s;
    try {
      s = run.evaluate(table);
    } catch (err) {
      tableError(o.data, err);
    }
    run.dispose();
    if (o.json) {
      process.stdout.write(JSON.stringify({ command: 'evaluate', label: run.preprocessor.label, task: run.preprocessor.task, ...s }) + '\n');
      return EXIT.ok;
    }
    for (const n of s.notices) process.stderr.write(`note: ${n}\n`);
    const w = (line = '') => process.stdout.write(line + '\n');
    w(`${s.count} rows of ${o.data}, label '${run.preprocessor.label}' (${run.preprocessor.task})`);
    if (s.accuracy !== undefined) w(`  accuracy ${(s.accuracy * 100).toFixed(2)}%   loss ${formatNumber(s.loss)}`);
    else w(`  R² ${s.r2!.toFixed(3)}   MAE ${formatNumber(s.mae!)}   loss ${formatNumber(s.loss)} (MSE, target units)`);
    if (s.confusion && s.classes) {
      w('  confusion matrix (rows: actual, columns: predicted):');
      const width = Math.max(...s.classes.map((c) => c.length), ...s.confusion.flat().map((v) => String(v).length)) + 2;
      w(`  ${''.padEnd(width)}${s.classes.map((c) => c.padStart(width)).join('')}`);
      s.confusion.forEach((row, i) => w(`  ${s.classes![i].padEnd(width)}${row.map((v) => String(v).padStart(width)).join('')}`));
    }
    return EXIT.ok;
  } finally {
    await closeEngine(sd);
  }
}
