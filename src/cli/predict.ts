// simdescent predict --run R --data new.csv: the run's preprocessor and model applied to new
// rows; one output row per input row (the predicted class and each class's probability, or
// the predicted value in the target's units), as CSV on stdout or in --out.
import { Command } from 'commander';
import type { Table } from '../data/table.js';
import { EXIT, UsageError, result } from './errors.js';
import { writeAtomic } from './files.js';
import { openRun, tableError } from './run-dir.js';
import { closeEngine, engine } from './setup.js';
import { readTable } from './tabular.js';

export function predictCommand(): Command {
  return new Command('predict')
    .description('predict new rows with a trained run (class and per-class probabilities, or value)')
    .requiredOption('--run <dir>', 'the directory simdescent train wrote (run.json, preprocessor.json, model.safetensors)')
    .requiredOption('--data <file.csv>', 'rows with the training columns (the label column may be absent)')
    .option('--out <file.csv>', 'write the predictions here (default: stdout)')
    .option('--id <column>', "copy this column to the output (default: the run's --id column, if it had one)")
    .option('--json', 'print one JSON document instead of CSV', false)
    .option('--scalar', 'use the scalar (non-SIMD) WebAssembly build', false)
    .action(async (o) => {
      result.code = await runPredict(o);
    });
}

/** The column `id` taken out of the table (unless the model reads it as a feature): its values. */
function takeColumn(table: Table, id: string, features: string[]): string[] {
  const j = table.names.indexOf(id);
  if (j < 0) throw new UsageError(`--id ${id}: no such column in the data; columns: ${table.names.join(', ')}`);
  const values = table.rows.map((r) => r[j]);
  if (!features.includes(id)) {
    table.names = table.names.filter((_, k) => k !== j);
    table.rows = table.rows.map((r) => r.filter((_, k) => k !== j));
  }
  return values;
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}

async function runPredict(o: Record<string, any>): Promise<number> {
  const sd = await engine(o);
  try {
    const run = await openRun(sd, o.run);
    const pre = run.preprocessor;
    const table = readTable(o.data);
    const ids = o.id !== undefined ? takeColumn(table, o.id, pre.columns) : undefined;
    let p;
    try {
      p = run.predict(table);
    } catch (err) {
      tableError(o.data, err);
    }
    const idName = o.id ?? pre.id;
    const idOf = (i: number) => ids?.[i] ?? p.rows[i].id;
    const hasId = idName !== undefined && (ids !== undefined || p.rows.some((r) => r.id !== undefined));
    for (const n of p.notices) process.stderr.write(`note: ${n}\n`);
    let text: string;
    if (o.json) {
      text = JSON.stringify({ command: 'predict', label: pre.label, task: pre.task, ...(p.classes ? { classes: p.classes } : {}), count: p.rows.length, rows: p.rows.map((r, i) => ({ ...r, ...(hasId ? { id: idOf(i) } : {}) })), notices: p.notices }) + '\n';
    } else {
      const head = [...(hasId ? [idName!] : []), `predicted_${pre.label}`, ...(p.classes ?? []).map((c) => `p_${c}`)];
      const lines = [head.map(csvCell).join(',')];
      p.rows.forEach((r, i) => {
        const cells = [...(hasId ? [idOf(i) ?? ''] : []), r.label ?? String(Number(r.value!.toPrecision(7)))];
        for (const q of r.probabilities ?? []) cells.push(q.toFixed(6));
        lines.push(cells.map(csvCell).join(','));
      });
      text = lines.join('\n') + '\n';
    }
    if (o.out !== undefined) {
      const path = writeAtomic(o.out, text);
      process.stderr.write(`${p.rows.length} prediction${p.rows.length === 1 ? '' : 's'} written to ${o.out}${path !== o.out ? '' : ''}\n`);
    } else process.stdout.write(text);
    run.dispose();
    return EXIT.ok;
  } finally {
    await closeEngine(sd);
  }
}
