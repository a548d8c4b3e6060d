/** Each kind of malformed exposition: one ExpositionError with the exact line, column and reason. */
import { describe, expect, it } from 'vitest';
import { ExpositionError } from './exposition-error.js';
import type { ExpositionFormat } from './exposition-types.js';
import { parseExposition } from './parse-exposition.js';

interface Case {
  readonly what: string;
  readonly text: string;
  readonly format?: ExpositionFormat;
  readonly line: number;
  readonly column: number;
  readonly reason: string;
}

const CR_REASON =
  'a carriage return ("\\r"): lines must end with "\\n" alone, "\\r\\n" is not accepted';

const cases: Case[] = [
  {
    what: 'a label name without "="',
    text: 'ok 1\nup{job 1\n',
    line: 2,
    column: 8,
    reason: 'expected "=" after label name "job", got "1"',
  },
  {
    what: 'a label value without quotes',
    text: 'up{job=api} 1\n',
    line: 1,
    column: 8,
    reason: 'expected a label value in double quotes after "job=", got "a"',
  },
  {
    what: 'an unclosed label value',
    text: 'up{job="api} 1\n',
    line: 1,
    column: 8,
    reason: 'label value has no closing double quote before the end of the line',
  },
  {
    what: 'an unclosed label value ending in a backslash',
    text: 'up{job="api\\',
    line: 1,
    column: 8,
    reason: 'label value has no closing double quote before the end of the line',
  },
  {
    what: 'a missing comma between labels',
    text: 'up{a="1" b="2"} 1\n',
    line: 1,
    column: 10,
    reason: 'expected "," or "}" after a label value, got "b"',
  },
  {
    what: 'an unclosed label block',
    text: 'up{a="1"\n',
    line: 1,
    column: 9,
    reason: 'expected "," or "}" after a label value, got the end of the line',
  },
  {
    what: 'a bad label name',
    text: 'up{1a="x"} 1\n',
    line: 1,
    column: 4,
    reason: 'expected a label name or "}", got "1"',
  },
  {
    what: 'a duplicate label name',
    text: '# TYPE up gauge\nup{job="a",instance="x",job="b"} 1\n',
    line: 2,
    column: 25,
    reason: 'duplicate label name "job" in one sample',
  },
  {
    what: 'a duplicate label name that is also an Object.prototype member',
    text: 'up{constructor="a",constructor="b"} 1\n',
    line: 1,
    column: 20,
    reason: 'duplicate label name "constructor" in one sample',
  },
  {
    what: 'a __name__ label',
    text: 'up{__name__="x"} 1\n',
    line: 1,
    column: 4,
    reason: 'label name "__name__" is reserved: write the metric name before "{"',
  },
  {
    what: 'a value that is not a number',
    text: 'up 1\nup{a="b"} one\n',
    line: 2,
    column: 11,
    reason: 'value "one" is not a number (expected a float such as 1, -2.5e-3, NaN, +Inf or -Inf)',
  },
  {
    what: 'a hexadecimal value (Number() would take it)',
    text: 'up 0x10\n',
    line: 1,
    column: 4,
    reason: 'value "0x10" is not a number (expected a float such as 1, -2.5e-3, NaN, +Inf or -Inf)',
  },
  {
    what: 'a value too large for a double',
    text: 'up 1e400\n',
    line: 1,
    column: 4,
    reason: 'value "1e400" is too large for a 64-bit float',
  },
  {
    what: 'a missing value',
    text: 'up{a="b"}\n',
    line: 1,
    column: 10,
    reason: 'expected a sample value after the metric name, got the end of the line',
  },
  {
    what: 'a missing value at the end of the input',
    text: 'up',
    line: 1,
    column: 3,
    reason: 'expected a sample value after the metric name, got the end of the input',
  },
  {
    what: 'no space between "}" and the value',
    text: 'up{a="b"}1\n',
    line: 1,
    column: 10,
    reason: 'expected a space between "}" and the value, got "1"',
  },
  {
    what: 'a bad character in a metric name',
    text: 'http-requests 1\n',
    line: 1,
    column: 5,
    reason: 'unexpected "-" in metric name "http"',
  },
  {
    what: 'a line that starts with neither a name nor "#"',
    text: '\n\n  =oops 1\n',
    line: 3,
    column: 3,
    reason: 'expected a metric name, a "#" comment or an empty line, got "="',
  },
  {
    what: 'a sample without a metric name',
    text: '{a="b"} 1\n',
    line: 1,
    column: 1,
    reason: 'the sample has no metric name',
  },
  {
    what: 'two metric names',
    text: 'up{"other"} 1\n',
    line: 1,
    column: 4,
    reason: 'the metric name is given twice',
  },
  {
    what: 'a fractional timestamp in the text format',
    text: 'up 1 1.5\n',
    line: 1,
    column: 6,
    reason: 'timestamp "1.5" is not a whole number of milliseconds (digits only)',
  },
  {
    what: 'a timestamp beyond the safe integer range',
    text: 'up 1 99999999999999999999\n',
    line: 1,
    column: 6,
    reason: 'timestamp "99999999999999999999" is out of range',
  },
  {
    what: 'text after the timestamp',
    text: 'up 1 1000 extra\n',
    line: 1,
    column: 11,
    reason: 'expected the end of the line after the timestamp, got "e"',
  },
  {
    what: 'an exemplar in the text format',
    text: 'up 1 # {trace_id="x"} 1\n',
    line: 1,
    column: 6,
    reason: 'exemplars ("# {...}" after a value) are only allowed in the OpenMetrics format',
  },
  {
    what: 'CRLF line endings',
    text: '# TYPE up gauge\r\n',
    line: 1,
    column: 16,
    reason: `expected the end of the line, got ${CR_REASON}`,
  },
  {
    what: 'CRLF line endings after a value',
    text: 'up 1\r\n',
    line: 1,
    column: 5,
    reason: `expected a space after the value, got ${CR_REASON}`,
  },
  {
    what: 'an unknown metric type',
    text: '# HELP up Up.\n# TYPE up countr\n',
    line: 2,
    column: 11,
    reason:
      'unknown metric type "countr" (expected one of: counter, gauge, histogram, summary, untyped)',
  },
  {
    what: 'an OpenMetrics-only type in the text format',
    text: '# TYPE up stateset\n',
    line: 1,
    column: 11,
    reason:
      'unknown metric type "stateset" (expected one of: counter, gauge, histogram, summary, untyped)',
  },
  {
    what: 'a second TYPE line for one family',
    text: '# TYPE up gauge\nup 1\n# TYPE up counter\n',
    line: 3,
    column: 8,
    reason: 'second TYPE line for metric family "up"',
  },
  {
    what: 'a second HELP line for one family',
    text: '# HELP up a\n# HELP up b\n',
    line: 2,
    column: 8,
    reason: 'second HELP line for metric family "up"',
  },
  {
    what: 'HELP without a metric name',
    text: '# HELP \n',
    line: 1,
    column: 8,
    reason: 'expected a metric name after "# HELP", got the end of the line',
  },
  {
    what: 'TYPE with a bad metric name',
    text: '# TYPE 9up gauge\n',
    line: 1,
    column: 8,
    reason: 'expected a metric name after "# TYPE", got "9"',
  },
  {
    what: 'a missing # EOF in OpenMetrics',
    text: '# TYPE up gauge\nup 1\n',
    format: 'openmetrics',
    line: 3,
    column: 1,
    reason: 'an OpenMetrics exposition must end with a "# EOF" line',
  },
  {
    what: 'a sample after # EOF in OpenMetrics',
    text: 'up 1\n# EOF\nup 2\n',
    format: 'openmetrics',
    line: 3,
    column: 1,
    reason: 'nothing may follow the "# EOF" line',
  },
  {
    what: 'a blank line after # EOF in OpenMetrics',
    text: 'up 1\n# EOF\n\n',
    format: 'openmetrics',
    line: 3,
    column: 1,
    reason: 'nothing may follow the "# EOF" line',
  },
  {
    what: 'text after # EOF on its line',
    text: '# EOF now\n',
    format: 'openmetrics',
    line: 1,
    column: 7,
    reason: 'expected the end of the line after "# EOF", got "n"',
  },
  {
    what: 'a second UNIT line in OpenMetrics',
    text: '# UNIT a_seconds seconds\n# UNIT a_seconds seconds\n# EOF\n',
    format: 'openmetrics',
    line: 2,
    column: 8,
    reason: 'second UNIT line for metric family "a_seconds"',
  },
  {
    what: 'an infinite OpenMetrics timestamp',
    text: 'up 1 +Inf\n# EOF\n',
    format: 'openmetrics',
    line: 1,
    column: 6,
    reason: 'timestamp "+Inf" is not a finite number of seconds',
  },
  {
    what: 'a metric name inside exemplar labels',
    text: 'up 1 # {"name"} 1\n# EOF\n',
    format: 'openmetrics',
    line: 1,
    column: 9,
    reason: 'expected "=" and a value after this quoted label name',
  },
  {
    what: 'an exemplar without a value',
    text: 'up 1 # {a="b"}\n# EOF\n',
    format: 'openmetrics',
    line: 1,
    column: 15,
    reason: 'expected an exemplar value, got the end of the line',
  },
  {
    what: 'an exemplar without braces',
    text: 'up 1 # a="b" 1\n# EOF\n',
    format: 'openmetrics',
    line: 1,
    column: 8,
    reason: 'expected "{" to start the exemplar labels, got "a"',
  },
  {
    what: 'a bad exemplar value',
    text: 'up 1 # {a="b"} x\n# EOF\n',
    format: 'openmetrics',
    line: 1,
    column: 16,
    reason:
      'exemplar value "x" is not a number (expected a float such as 1, -2.5e-3, NaN, +Inf or -Inf)',
  },
  {
    what: 'text after the exemplar',
    text: 'up 1 # {a="b"} 1 2 3\n# EOF\n',
    format: 'openmetrics',
    line: 1,
    column: 20,
    reason: 'expected the end of the line after the exemplar, got "3"',
  },
];

/** Parses and returns the error, failing the test if something else (or nothing) is thrown. */
function errorOf(text: string, format?: ExpositionFormat): ExpositionError {
  try {
    parseExposition(text, format);
  } catch (err) {
    expect(err).toBeInstanceOf(ExpositionError);
    return err as ExpositionError;
  }
  throw new Error(`expected an ExpositionError for ${JSON.stringify(text)}`);
}

describe('parseExposition errors', () => {
  it.each(cases)('$what', ({ text, format, line, column, reason }) => {
    const err = errorOf(text, format);
    expect({ line: err.line, column: err.column, reason: err.reason }).toEqual({
      line,
      column,
      reason,
    });
    expect(err.message).toBe(`line ${line}, column ${column}: ${reason}`);
    expect(err.name).toBe('ExpositionError');
  });

  it('shortens very long tokens in messages', () => {
    const err = errorOf(`up ${'9'.repeat(10_000)}x\n`);
    expect(err.reason.length).toBeLessThan(200);
  });
});
