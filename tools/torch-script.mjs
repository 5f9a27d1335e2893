// Regenerates src/interop/torch-script.ts from src/interop/torch-train.py, so the library
// (Node and browsers alike) carries train.py as a string. test/interop/torch.test.ts checks
// the two agree. Usage: node tools/torch-script.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'interop');
const py = readFileSync(join(dir, 'torch-train.py'), 'utf8');
if (py.includes('`') || py.includes('${')) throw new Error('torch-train.py must not contain a backtick or "${" (it is embedded in a template literal)');
writeFileSync(
  join(dir, 'torch-script.ts'),
  `// Generated from torch-train.py by tools/torch-script.mjs: edit that file, then regenerate.\n` +
    `// train.py as exportTorch writes it (PyTorch >= 1.13, nothing else to install).\n` +
    'export const TRAIN_PY: string = String.raw`' + py + '`;\n',
);
