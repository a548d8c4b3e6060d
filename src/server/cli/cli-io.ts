/** Where the command writes: the process's own streams, or a test's buffers. */

/** The command's output, one line or one block at a time. */
export interface CliIo {
  /** A line to standard output. */
  out(line: string): void;
  /** A line to standard error. */
  err(line: string): void;
  /** Text to standard output as it is, no newline added (files printed whole). */
  write(text: string): void;
}

/** The process's stdout and stderr. */
export const processIo: CliIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  write: (text) => process.stdout.write(text),
};

/**
 * Output kept in memory, for running `main` in-process.
 *
 * @example
 * ```ts
 * const io = bufferIo();
 * const code = await main(['validate', '-c', 'kpi-lights.yaml'], io);
 * console.log(code, io.stdout, io.stderr);
 * ```
 */
export function bufferIo(): CliIo & { readonly stdout: string; readonly stderr: string } {
  let stdout = '';
  let stderr = '';
  return {
    out: (line) => (stdout += `${line}\n`),
    err: (line) => (stderr += `${line}\n`),
    write: (text) => (stdout += text),
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
  };
}
