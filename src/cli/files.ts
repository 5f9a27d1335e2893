// Outputs are written to a temporary name in the same directory and renamed into place, so
// an interrupted or failed run never leaves a half-written file where a good one was.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './errors.js';

export function writeAtomic(path: string, data: string | Uint8Array): string {
  const full = resolve(path);
  const tmp = join(dirname(full), `.${Date.now().toString(36)}-${process.pid}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, full);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new UsageError(`cannot write ${path}: ${(err as Error).message}`);
  }
  return full;
}

export function ensureDir(dir: string): string {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new UsageError(`cannot create directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return resolve(dir);
}

export function readText(path: string, what = 'file'): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${what} ${path}: ${describe(err)}`);
  }
}

export function readBytes(path: string, what = 'file'): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (err) {
    throw new UsageError(`cannot read ${what} ${path}: ${describe(err)}`);
  }
}

function describe(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return (err as Error).message;
}
