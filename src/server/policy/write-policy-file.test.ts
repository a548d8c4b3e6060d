/** The policy write-back on a real folder: modes kept, 0600 when new, no link followed, nothing left behind. */
import {
  chmodSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writePolicyFile } from './write-policy-file.js';

let dir: string;
let umask: number;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kpi-write-'));
  // A permissive umask, so a mode that comes out right is ours and not the umask's.
  umask = process.umask(0);
});
afterEach(() => {
  process.umask(umask);
  rmSync(dir, { recursive: true, force: true });
});

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('writePolicyFile', () => {
  it.each([0o600, 0o640, 0o400])('keeps the original mode %o', (mode) => {
    const file = join(dir, 'kpi-lights.yaml');
    writeFileSync(file, 'old\n');
    chmodSync(file, mode);
    writePolicyFile(file, 'new text\n');
    expect(readFileSync(file, 'utf8')).toBe('new text\n');
    expect(modeOf(file)).toBe(mode);
    expect(readdirSync(dir)).toEqual(['kpi-lights.yaml']);
  });

  it('creates a new file with mode 0600', () => {
    const file = join(dir, 'new.yaml');
    writePolicyFile(file, 'kpis: []\n');
    expect(modeOf(file)).toBe(0o600);
    expect(statSync(file).size).toBe(9);
  });

  it('never follows a symlink planted at the old predictable temporary names', () => {
    const file = join(dir, 'kpi-lights.yaml');
    const victim = join(dir, 'victim');
    writeFileSync(file, 'old\n');
    writeFileSync(victim, 'precious\n');
    const planted = [`.kpi-lights.yaml.${process.pid}.tmp`, '.kpi-lights.yaml.tmp'];
    for (const name of planted) symlinkSync(victim, join(dir, name));
    writePolicyFile(file, 'new\n');
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect(lstatSync(file).isSymbolicLink()).toBe(false);
    for (const name of planted) expect(readlinkSync(join(dir, name))).toBe(victim);
  });

  it('refuses, writing nothing, when something already sits at its temporary name', () => {
    const file = join(dir, 'kpi-lights.yaml');
    const victim = join(dir, 'victim');
    writeFileSync(file, 'old\n');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, join(dir, 'guessed.tmp'));
    expect(() => writePolicyFile(file, 'new\n', { tempName: () => 'guessed.tmp' })).toThrow(
      /EEXIST/,
    );
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    expect(readlinkSync(join(dir, 'guessed.tmp'))).toBe(victim);
  });
});
